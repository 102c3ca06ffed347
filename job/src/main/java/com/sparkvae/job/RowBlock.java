package com.sparkvae.job;

import java.io.Serializable;

/**
 * Rows of one partition packed once into a contiguous row-major float array: the unit in which training data is
 * cached on the executors and reused every round.
 */
public record RowBlock(float[] values, int rows, int dim) implements Serializable {

    public RowBlock {
        if ((long) rows * dim != values.length) {
            throw new IllegalArgumentException(rows + " rows of " + dim + " do not fill " + values.length + " values");
        }
    }

    /** Rows per block: about 4 MB of floats for Fashion-MNIST's 784 features. */
    static int rowsPerBlock(int dim) {
        return Math.max(1, (1 << 20) / Math.max(1, dim));
    }
}
