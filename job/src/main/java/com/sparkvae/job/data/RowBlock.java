package com.sparkvae.job.data;

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

    /** Σ over rows of a 64-bit hash of the row's float bits: order-independent, so shards can be summed. */
    long rowHashSum() {
        long sum = 0;
        for (int r = 0; r < rows; r++) {
            long h = 0x9E3779B97F4A7C15L;
            for (int j = r * dim; j < (r + 1) * dim; j++) {
                h = (h ^ Float.floatToIntBits(values[j])) * 0x100000001B3L;
            }
            sum += h ^ (h >>> 29);
        }
        return sum;
    }
}
