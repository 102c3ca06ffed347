package com.sparkvae.job.store;

import com.sparkvae.job.DataException;
import java.nio.ByteBuffer;

/**
 * A float vector as the bytes of a file entry: a magic number saying what the entry holds, the count, then the
 * floats, all big-endian (the layout {@code DataOutputStream} gave the first versions, so their files still read).
 * Converted in bulk: a model of a few million floats, float by float, costs a few hundred milliseconds.
 */
public final class VectorBytes {
    private VectorBytes() {
    }

    static byte[] encode(int magic, float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(8 + 4 * vector.length);   // big-endian by default
        buf.putInt(magic).putInt(vector.length);
        buf.asFloatBuffer().put(vector);
        return buf.array();
    }

    /**
     * @param entry names the entry in errors, e.g. {@code "hdfs://nn/models/m.zip: parameters.bin"}
     * @param kind what the entry should be, e.g. {@code "a spark-vae parameter file"}
     * @throws DataException if the entry does not start with {@code magic} or holds other than the floats it announces
     */
    static float[] decode(byte[] data, int magic, String entry, String kind) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        if (data.length < 8 || buf.getInt() != magic) {
            throw new DataException(entry + " is not " + kind);
        }
        int length = buf.getInt();
        if (length < 0 || buf.remaining() != 4L * length) {
            throw new DataException(entry + " holds " + buf.remaining() + " bytes after its header, not the " + length
                    + " floats it announces");
        }
        float[] v = new float[length];
        buf.asFloatBuffer().get(v);
        return v;
    }
}
