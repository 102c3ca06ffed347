package com.sparkvae.job.data;

import com.sparkvae.job.DataException;
import java.io.Serializable;
import java.util.List;

/**
 * Per-column statistics of rows, in one pass and mergeable across partitions: the count of present (non-NaN)
 * values, their mean and sum of squared deviations (Welford's update, merged by Chan et al.'s formula, in double
 * precision), minimum and maximum. Missing values (NaN, from a null under {@code --bad-rows impute}) are left out.
 */
public final class ColumnStats implements Serializable {
    private final long[] count;
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;

    public ColumnStats(int dim) {
        count = new long[dim];
        mean = new double[dim];
        m2 = new double[dim];
        min = new double[dim];
        max = new double[dim];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /** Adds every row of a block. */
    public void add(RowBlock block) {
        float[] v = block.values();
        int d = block.dim();
        for (int r = 0; r < block.rows(); r++) {
            for (int j = 0; j < d; j++) {
                double x = v[r * d + j];
                if (x != x) {
                    continue;
                }
                long n = ++count[j];
                double delta = x - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (x - mean[j]);
                min[j] = Math.min(min[j], x);
                max[j] = Math.max(max[j], x);
            }
        }
    }

    /** This and {@code other} together, as if every row had been added to one. */
    public ColumnStats merge(ColumnStats other) {
        if (other.dim() != dim()) {
            throw new DataException("rows of " + dim() + " and of " + other.dim() + " values");
        }
        ColumnStats out = new ColumnStats(dim());
        for (int j = 0; j < dim(); j++) {
            long n = count[j] + other.count[j];
            out.count[j] = n;
            if (n == 0) {
                continue;
            }
            double delta = other.mean[j] - mean[j];
            out.mean[j] = mean[j] + delta * other.count[j] / n;
            out.m2[j] = m2[j] + other.m2[j] + delta * delta * ((double) count[j] * other.count[j] / n);
            out.min[j] = Math.min(min[j], other.min[j]);
            out.max[j] = Math.max(max[j], other.max[j]);
        }
        return out;
    }

    /** The statistics of partitions merged in the order given, so a run repeats them bit for bit. */
    static ColumnStats mergeAll(List<ColumnStats> parts) {
        ColumnStats out = null;
        for (ColumnStats p : parts) {
            out = out == null ? p : out.merge(p);
        }
        return out;
    }

    public int dim() {
        return count.length;
    }

    public long count(int j) {
        return count[j];
    }

    public double mean(int j) {
        return mean[j];
    }

    /** The sample standard deviation (n − 1 in the denominator, as Spark ML's StandardScaler); 0 for one value. */
    public double sd(int j) {
        return count[j] < 2 ? 0 : Math.sqrt(m2[j] / (count[j] - 1));
    }

    public double min(int j) {
        return min[j];
    }

    public double max(int j) {
        return max[j];
    }
}
