package com.sparkvae.job.cluster;

import com.sparkvae.model.LossSums;
import java.io.Serializable;

/**
 * A mergeable sum of weighted vectors and loss sums, for {@link PartitionSums}: each partition contributes its
 * vector v_p with weight w_p (its shard size when averaging replicas, 1 when summing gradients), and merging forms
 * Σ w_p v_p. The sum is built in place in the first contribution's array, in single precision (a few dozen
 * additions of products lose nothing that matters to parameters held as floats anyway): every contribution has
 * just been deserialised, or built by its task, so no one else holds it, and the driver allocates nothing per
 * round. A lone contribution is never scaled at all. The empty value is tiny.
 */
public final class ReplicaSum implements Serializable {
    private transient float[] vector;
    private boolean scaled;
    private double weight;
    private LossSums losses = LossSums.ZERO;
    private double slowestTaskSeconds;
    private double totalTaskSeconds;
    private int tasks;
    private long peakExecutorBytes;

    public static ReplicaSum empty() {
        return new ReplicaSum();
    }

    /**
     * One task's contribution; the sum takes {@code vector} over and may write into it.
     *
     * @param taskSeconds the task's compute time
     * @param peakExecutorBytes the peak resident memory of the task's executor process so far
     */
    static ReplicaSum of(float[] vector, double weight, LossSums losses, double taskSeconds, long peakExecutorBytes) {
        ReplicaSum r = new ReplicaSum();
        r.vector = vector;
        r.weight = weight;
        r.losses = losses;
        r.slowestTaskSeconds = taskSeconds;
        r.totalTaskSeconds = taskSeconds;
        r.tasks = 1;
        r.peakExecutorBytes = peakExecutorBytes;
        return r;
    }

    /** The compute time of all contributing tasks together. */
    public double totalTaskSeconds() {
        return totalTaskSeconds;
    }

    /** The number of contributing tasks. */
    public int tasks() {
        return tasks;
    }

    /** The largest peak resident memory of the contributing executors. */
    public long peakExecutorBytes() {
        return peakExecutorBytes;
    }

    /** The compute time of the slowest contributing task: what the round would take without Spark's overhead. */
    public double slowestTaskSeconds() {
        return slowestTaskSeconds;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        out.writeBoolean(vector != null);
        if (vector != null) {
            FloatArrays.write(out, vector);
        }
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        vector = in.readBoolean() ? FloatArrays.read(in) : null;
    }

    /** Adds {@code other} into this one and returns this; {@code other}'s vector is only read. */
    public ReplicaSum merge(ReplicaSum other) {
        slowestTaskSeconds = Math.max(slowestTaskSeconds, other.slowestTaskSeconds);
        totalTaskSeconds += other.totalTaskSeconds;
        tasks += other.tasks;
        peakExecutorBytes = Math.max(peakExecutorBytes, other.peakExecutorBytes);
        losses = losses.plus(other.losses);
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            vector = other.vector;
            scaled = other.scaled;
            weight = other.weight;
            return this;
        }
        if (other.vector.length != vector.length) {
            throw new IllegalStateException("vectors of " + vector.length + " and " + other.vector.length + " values");
        }
        scaleByWeight();
        float[] v = other.vector;
        if (other.scaled) {
            for (int i = 0; i < vector.length; i++) {
                vector[i] += v[i];
            }
        } else {
            float w = (float) other.weight;
            for (int i = 0; i < vector.length; i++) {
                vector[i] += w * v[i];
            }
        }
        weight += other.weight;
        return this;
    }

    private void scaleByWeight() {
        if (!scaled) {
            float w = (float) weight;
            for (int i = 0; i < vector.length; i++) {
                vector[i] *= w;
            }
            scaled = true;
        }
    }

    boolean isEmpty() {
        return vector == null;
    }

    double weight() {
        return weight;
    }

    public LossSums losses() {
        return losses;
    }

    /**
     * Σ w_p v_p / {@code divisor}, computed in place: returns the sum's own array, which the caller then owns, and
     * leaves this sum spent (empty).
     */
    public float[] dividedBy(double divisor) {
        float[] out = vector;
        if (out == null) {
            throw new IllegalStateException("no contribution to divide");
        }
        double factor = (scaled ? 1.0 : weight) / divisor;
        if (factor != 1.0) {
            float f = (float) factor;
            for (int i = 0; i < out.length; i++) {
                out[i] *= f;
            }
        }
        vector = null;
        return out;
    }

    /** The weighted mean Σ w_p v_p / Σ w_p, in place (see {@link #dividedBy}). */
    public float[] mean() {
        return dividedBy(weight);
    }
}
