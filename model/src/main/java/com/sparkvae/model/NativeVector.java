package com.sparkvae.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The off-heap memory of a contiguous ND4J array seen as a vector, for moving ranges between it and heap arrays with
 * plain Java copies. The buffer view is taken once, since taking it is a JNI call; after that a range copy is a
 * memcpy with no ND4J op in between, cheap enough to do piece by piece. A range [from, from + count) of the vector
 * goes to or comes from either the same range of a full-length heap array or the start of a small piece buffer, as
 * each method says. Absolute accesses only, so disjoint ranges may be used from different threads.
 */
final class NativeVector {
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final int length;

    NativeVector(INDArray a) {
        HostArrays.checkContiguous(a, a.length());
        this.length = Math.toIntExact(a.length());
        int offset = Math.toIntExact(a.offset());
        if (a.dataType() == DataType.FLOAT) {
            this.floats = a.data().asNioFloat().slice(offset, length);
            this.doubles = null;
        } else if (a.dataType() == DataType.DOUBLE) {
            this.floats = null;
            this.doubles = a.data().asNioDouble().slice(offset, length);
        } else {
            throw new IllegalArgumentException("unsupported data type " + a.dataType());
        }
    }

    int length() {
        return length;
    }

    /** piece[k] = this[from + k] for k in [0, count). */
    void get(int from, float[] piece, int pieceOffset, int count) {
        if (floats != null) {
            floats.get(from, piece, pieceOffset, count);
        } else {
            for (int k = 0; k < count; k++) {
                piece[pieceOffset + k] = (float) doubles.get(from + k);
            }
        }
    }

    /**
     * piece[k] += this[from + k] for k in [0, count), with {@code scratch} (at least {@code count} long) as buffer.
     */
    void addTo(int from, float[] piece, int count, float[] scratch) {
        get(from, scratch, 0, count);
        for (int k = 0; k < count; k++) {
            piece[k] += scratch[k];
        }
    }

    /** this[i] = src[i] for i in [from, from + count). */
    void put(int from, float[] src, int count) {
        if (floats != null) {
            floats.put(from, src, from, count);
        } else {
            for (int i = from; i < from + count; i++) {
                doubles.put(i, src[i]);
            }
        }
    }

    /** dst[i] = this[i] for i in [from, from + count), widened to double. */
    void get(int from, double[] dst, int count) {
        for (int i = from; i < from + count; i++) {
            dst[i] = floats != null ? floats.get(i) : doubles.get(i);
        }
    }

    /** this[i] = src[i] for i in [from, from + count), rounded to float in a single-precision vector. */
    void put(int from, double[] src, int count) {
        for (int i = from; i < from + count; i++) {
            if (floats != null) {
                floats.put(i, (float) src[i]);
            } else {
                doubles.put(i, src[i]);
            }
        }
    }
}
