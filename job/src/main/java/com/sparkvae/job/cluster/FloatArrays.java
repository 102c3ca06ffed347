package com.sparkvae.job.cluster;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Java serialization of large float arrays as one block of bytes. ObjectOutputStream converts a float[] element by
 * element; the parameter-and-moment vectors cross the wire four times a round (broadcast out, results back), and
 * bulk copies through a ByteBuffer cut that cost several-fold.
 */
public final class FloatArrays {
    /** Floats per bulk copy: 64 KB, small enough to stay in cache between the two copies of each piece. */
    private static final int CHUNK = 1 << 14;

    private FloatArrays() {
    }

    static void write(ObjectOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        ByteBuffer buf = ByteBuffer.allocate(4 * Math.min(v.length, CHUNK)).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < v.length; start += CHUNK) {
            int n = Math.min(CHUNK, v.length - start);
            buf.clear();
            buf.asFloatBuffer().put(v, start, n);
            out.write(buf.array(), 0, 4 * n);
        }
    }

    static float[] read(ObjectInputStream in) throws IOException {
        int length = in.readInt();
        float[] v = new float[length];
        byte[] bytes = new byte[4 * Math.min(length, CHUNK)];
        for (int start = 0; start < length; start += CHUNK) {
            int n = Math.min(CHUNK, length - start);
            in.readFully(bytes, 0, 4 * n);
            ByteBuffer.wrap(bytes, 0, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v, start, n);
        }
        return v;
    }
}
