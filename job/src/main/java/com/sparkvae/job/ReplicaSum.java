package com.sparkvae.job;

import com.sparkvae.model.LossSums;
import java.io.Serializable;

/**
 * A mergeable sum of weighted vectors and loss sums, for {@code treeAggregate}: each partition contributes its
 * vector v_p with weight w_p (its shard size when averaging replicas, 1 when summing gradients); merging adds
 * Σ w_p v_p in double precision, and the driver divides once at the end. A partition's own contribution travels as
 * floats; the double buffer exists only where two contributions meet, and the empty value is tiny.
 */
final class ReplicaSum implements Serializable {
    private transient float[] single;
    private double[] sum;
    private double weight;
    private LossSums losses = LossSums.ZERO;
    private double slowestTaskSeconds;
    private double totalTaskSeconds;
    private long peakExecutorBytes;

    static ReplicaSum empty() {
        return new ReplicaSum();
    }

    /**
     * One task's contribution.
     *
     * @param taskSeconds the task's compute time
     * @param peakExecutorBytes the peak resident memory of the task's executor process so far
     */
    static ReplicaSum of(float[] vector, double weight, LossSums losses, double taskSeconds, long peakExecutorBytes) {
        ReplicaSum r = new ReplicaSum();
        r.single = vector;
        r.weight = weight;
        r.losses = losses;
        r.slowestTaskSeconds = taskSeconds;
        r.totalTaskSeconds = taskSeconds;
        r.peakExecutorBytes = peakExecutorBytes;
        return r;
    }

    /** The compute time of all contributing tasks together. */
    double totalTaskSeconds() {
        return totalTaskSeconds;
    }

    /** The largest peak resident memory of the contributing executors. */
    long peakExecutorBytes() {
        return peakExecutorBytes;
    }

    /** The compute time of the slowest contributing task: what the round would take without Spark's overhead. */
    double slowestTaskSeconds() {
        return slowestTaskSeconds;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        out.writeBoolean(single != null);
        if (single != null) {
            FloatArrays.write(out, single);
        }
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        single = in.readBoolean() ? FloatArrays.read(in) : null;
    }

    /** Adds {@code other} into this one and returns this. */
    ReplicaSum merge(ReplicaSum other) {
        slowestTaskSeconds = Math.max(slowestTaskSeconds, other.slowestTaskSeconds);
        totalTaskSeconds += other.totalTaskSeconds;
        peakExecutorBytes = Math.max(peakExecutorBytes, other.peakExecutorBytes);
        if (other.single == null && other.sum == null) {
            losses = losses.plus(other.losses);
            return this;
        }
        if (single == null && sum == null) {
            single = other.single;
            sum = other.sum;
            weight = other.weight;
            losses = losses.plus(other.losses);
            return this;
        }
        if (sum == null) {
            sum = weighted(single, weight);
            single = null;
        }
        if (other.sum != null) {
            if (other.sum.length != sum.length) {
                throw new IllegalStateException("vectors of " + sum.length + " and " + other.sum.length + " values");
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other.sum[i];
            }
        } else {
            if (other.single.length != sum.length) {
                throw new IllegalStateException("vectors of " + sum.length + " and " + other.single.length + " values");
            }
            double w = other.weight;
            float[] v = other.single;
            for (int i = 0; i < sum.length; i++) {
                sum[i] += w * v[i];
            }
        }
        weight += other.weight;
        losses = losses.plus(other.losses);
        return this;
    }

    boolean isEmpty() {
        return single == null && sum == null;
    }

    double weight() {
        return weight;
    }

    LossSums losses() {
        return losses;
    }

    /** Σ w_p v_p / {@code divisor}, as floats. */
    float[] dividedBy(double divisor) {
        float[] out = new float[single != null ? single.length : sum.length];
        if (single != null) {
            double scale = weight / divisor;
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (single[i] * scale);
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (sum[i] / divisor);
            }
        }
        return out;
    }

    /** The weighted mean Σ w_p v_p / Σ w_p. */
    float[] mean() {
        return dividedBy(weight);
    }

    private static double[] weighted(float[] v, double w) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = w * v[i];
        }
        return d;
    }
}
