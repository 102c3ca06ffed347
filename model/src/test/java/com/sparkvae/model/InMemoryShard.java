package com.sparkvae.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A shard held in one row-major array, for tests. */
final class InMemoryShard implements Shard {
    private final float[] values;
    private final int dim;

    InMemoryShard(float[] values, int dim) {
        this.values = values;
        this.dim = dim;
    }

    static InMemoryShard uniform(int rows, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return new InMemoryShard(v, dim);
    }

    int rowCount() {
        return values.length / dim;
    }

    INDArray asMatrix() {
        return Nd4j.createFromArray(values).castTo(DataType.DOUBLE).reshape(rowCount(), dim);
    }

    @Override
    public long size() {
        return rowCount();
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public void copyRows(long[] indices, int count, float[] dst) {
        for (int s = 0; s < count; s++) {
            System.arraycopy(values, (int) indices[s] * dim, dst, s * dim, dim);
        }
    }

    @Override
    public void copyRange(long start, int count, float[] dst) {
        System.arraycopy(values, (int) start * dim, dst, 0, count * dim);
    }
}
