package com.sparkvae.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between on-heap arrays and contiguous ND4J arrays (whose memory is off-heap), one memcpy each rather
 * than an element at a time through JNI. The ND4J side must be a contiguous row-major array or view.
 */
public final class HostArrays {
    private HostArrays() {
    }

    /** Copies {@code length} values of {@code src} from {@code srcOffset} into the start of {@code dst}. */
    public static void copyInto(float[] src, int srcOffset, int length, INDArray dst) {
        checkContiguous(dst, length);
        if (dst.dataType() == DataType.FLOAT) {
            FloatBuffer buf = dst.data().asNioFloat();
            buf.position((int) dst.offset());
            buf.put(src, srcOffset, length);
        } else if (dst.dataType() == DataType.DOUBLE) {
            DoubleBuffer buf = dst.data().asNioDouble();
            int base = (int) dst.offset();
            for (int i = 0; i < length; i++) {
                buf.put(base + i, src[srcOffset + i]);
            }
        } else {
            throw new IllegalArgumentException("unsupported data type " + dst.dataType());
        }
    }

    /** Copies all of {@code src} into the start of {@code dst}. */
    public static void copyInto(float[] src, INDArray dst) {
        copyInto(src, 0, src.length, dst);
    }

    /** Copies the first {@code dst.length} values of {@code src} into {@code dst}. */
    public static void copyFrom(INDArray src, float[] dst) {
        copyFrom(src, dst, dst.length);
    }

    /** Copies the first {@code length} values of {@code src} into the start of {@code dst}. */
    public static void copyFrom(INDArray src, float[] dst, int length) {
        checkContiguous(src, length);
        if (src.dataType() == DataType.FLOAT) {
            FloatBuffer buf = src.data().asNioFloat();
            buf.position((int) src.offset());
            buf.get(dst, 0, length);
        } else if (src.dataType() == DataType.DOUBLE) {
            DoubleBuffer buf = src.data().asNioDouble();
            int base = (int) src.offset();
            for (int i = 0; i < length; i++) {
                dst[i] = (float) buf.get(base + i);
            }
        } else {
            throw new IllegalArgumentException("unsupported data type " + src.dataType());
        }
    }

    /** A new on-heap copy of a contiguous array. */
    public static float[] toFloatArray(INDArray src) {
        float[] out = new float[Math.toIntExact(src.length())];
        copyFrom(src, out);
        return out;
    }

    /**
     * The first {@code count} rows of a row-major matrix: {@code m} itself when that is all of them, else a view, which
     * is contiguous and so fit for the copies here.
     */
    static INDArray firstRows(INDArray m, int count) {
        return count == m.rows() ? m
                : m.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, count),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
    }

    /** Fails unless {@code a} is a contiguous row-major array of at least {@code length} entries. */
    static void checkContiguous(INDArray a, long length) {
        if (a.length() < length) {
            throw new IllegalArgumentException("array of " + a.length() + " entries cannot hold " + length);
        }
        if (a.ordering() != 'c' || a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("a contiguous row-major array is required, got " + a.shapeInfoToString());
        }
    }
}
