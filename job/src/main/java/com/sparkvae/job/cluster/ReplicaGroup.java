package com.sparkvae.job.cluster;

import com.sparkvae.model.LossSums;
import com.sparkvae.model.OuterOptimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * The tasks of one barrier stage attempt that run in this JVM, averaging their replicas through shared memory
 * every round of a span ({@link SpanTask}). One group per attempt, found through a static registry by application,
 * stage and attempt, and gone when its last member leaves.
 *
 * <p>A round: every member posts its replica's parameters and moments with its shard size as weight (nothing from an
 * empty shard) and waits for the others; then each member averages its own slice of the vector over all
 * contributions and takes the outer step on the parameters in that slice, and all wait again. Each element is
 * summed in partition order with the arithmetic of {@link ReplicaSum} (the first contribution scaled by its weight,
 * each later one added as weight × value in single precision, the total scaled by 1 / Σ weights, a lone
 * contribution left as it is), so the average is the one jobs mode's driver forms from the same replicas, bit for
 * bit where it merges in partition order. The outer step is element-wise, so slices take the same step as one call.
 *
 * <p>Waiting polls Spark's kill flag: a barrier stage whose task fails has its other tasks killed (without thread
 * interruption), and a member that fails ends the group for all, so nobody waits for a partner that will not come.
 */
final class ReplicaGroup {
    private static final Map<String, ReplicaGroup> GROUPS = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 100;

    private final int members;
    private final int parameterCount;
    private final OuterOptimizer outer;
    private final Phaser phaser;
    private final AtomicInteger present;
    /** The global parameters then moments: the round's start until the members' slices replace it by the average. */
    final float[] global;
    /** The outer step's buffer, advanced slice by slice with the parameters. */
    final float[] outerBuffer;
    /** The global vector and outer buffer as the current round found them: the outer step's x, and the roll-back. */
    final float[] roundStart;
    final float[] outerBefore;
    private final float[][] contributions;
    private final double[] weights;
    private final LossSums[] losses;
    private final double[] computeSeconds;
    private final long[] peakBytes;
    private final boolean[] finiteSlice;
    private volatile Throwable failure;

    private ReplicaGroup(int members, SpanInput in) {
        this.members = members;
        this.parameterCount = in.parameterCount();
        this.outer = in.outer();
        this.phaser = new Phaser(members);
        this.present = new AtomicInteger(members);
        this.global = in.vector().clone();
        this.outerBuffer = in.outerBuffer().clone();
        this.roundStart = new float[global.length];
        this.outerBefore = new float[outerBuffer.length];
        this.contributions = new float[members][];
        this.weights = new double[members];
        this.losses = new LossSums[members];
        this.computeSeconds = new double[members];
        this.peakBytes = new long[members];
        this.finiteSlice = new boolean[members];
    }

    /** The group of the stage attempt {@code key}, of {@code members} tasks, created by its first member. */
    static ReplicaGroup join(String key, int members, SpanInput in) {
        ReplicaGroup group = GROUPS.computeIfAbsent(key, k -> new ReplicaGroup(members, in));
        if (group.members != members) {
            throw new IllegalStateException("stage attempt " + key + " has " + group.members + " tasks, not " + members);
        }
        return group;
    }

    /** This member is done with the group (normally, or failing with {@code failure}, which ends it for all). */
    void leave(String key, Throwable failure) {
        if (failure != null && this.failure == null) {
            this.failure = failure;
            phaser.forceTermination();
        }
        if (present.decrementAndGet() == 0) {
            GROUPS.remove(key, this);
        }
    }

    /**
     * Posts member {@code rank}'s round: its replica's parameters and moments weighted by {@code weight} (null from
     * an empty shard, which only waits), its loss sums, compute time and peak memory. The array stays the member's
     * but must not change until {@link #average} has returned.
     */
    void post(int rank, float[] contribution, double weight, LossSums roundLosses, double seconds, long peak) {
        contributions[rank] = contribution;
        weights[rank] = weight;
        losses[rank] = roundLosses;
        computeSeconds[rank] = seconds;
        peakBytes[rank] = peak;
        await();
    }

    /**
     * What a round came to, the same on every member: whether its loss and parameters are finite, and what it
     * measured ({@code wallSeconds} 0 until the caller times the round).
     */
    record Averaged(boolean finite, SpanResult.RoundRecord record) {
    }

    /**
     * Member {@code rank}'s share of the round, once every member has posted: averages its slice into
     * {@link #global} (keeping the round's start in {@link #roundStart}), takes the outer step on it, and waits until
     * every slice is done.
     */
    Averaged average(int rank) {
        int n = global.length;
        int from = (int) ((long) rank * n / members);
        int to = (int) ((long) (rank + 1) * n / members);
        System.arraycopy(global, from, roundStart, from, to - from);
        int paramsTo = Math.min(to, parameterCount);
        if (from < paramsTo && outerBuffer.length > 0) {
            System.arraycopy(outerBuffer, from, outerBefore, from, paramsTo - from);
        }
        sumSlice(from, to);
        boolean finite = true;
        if (from < paramsTo) {
            outer.stepInPlace(roundStart, global, outerBuffer, from, paramsTo);
            for (int i = from; i < paramsTo && finite; i++) {
                finite = Float.isFinite(global[i]);
            }
        }
        finiteSlice[rank] = finite;
        // Read what the members posted before the wait: once past it, a quicker member posts its next round.
        SpanResult.RoundRecord record = record();
        await();
        boolean all = record.losses().isFinite();
        for (boolean f : finiteSlice) {
            all &= f;   // written again only after every member has passed the next round's first wait
        }
        return new Averaged(all, record);
    }

    /** Σ w_p v_p / Σ w_p over the contributions, in partition order, into {@code global[from, to)}. */
    private void sumSlice(int from, int to) {
        int first = -1;
        int count = 0;
        double weight = 0;
        for (int q = 0; q < members; q++) {
            if (contributions[q] != null) {
                first = first < 0 ? q : first;
                count++;
                weight += weights[q];
            }
        }
        if (count == 0) {
            throw new IllegalStateException("no partition of the stage holds data");
        }
        float[] acc = global;
        System.arraycopy(contributions[first], from, acc, from, to - from);
        if (count == 1) {
            return;
        }
        float w0 = (float) weights[first];
        for (int i = from; i < to; i++) {
            acc[i] *= w0;
        }
        for (int q = first + 1; q < members; q++) {
            float[] v = contributions[q];
            if (v == null) {
                continue;
            }
            float w = (float) weights[q];
            for (int i = from; i < to; i++) {
                acc[i] += w * v[i];
            }
        }
        double factor = 1.0 / weight;
        if (factor != 1.0) {
            float f = (float) factor;
            for (int i = from; i < to; i++) {
                acc[i] *= f;
            }
        }
    }

    private SpanResult.RoundRecord record() {
        LossSums total = LossSums.ZERO;
        double slowest = 0;
        double seconds = 0;
        int tasks = 0;
        long peak = 0;
        for (int q = 0; q < members; q++) {
            total = total.plus(losses[q]);
            slowest = Math.max(slowest, computeSeconds[q]);
            seconds += computeSeconds[q];
            tasks += contributions[q] != null ? 1 : 0;
            peak = Math.max(peak, peakBytes[q]);
        }
        return new SpanResult.RoundRecord(total, slowest, seconds, tasks, peak, 0);
    }

    /** Waits until every member has arrived, checking every so often whether Spark killed this task. */
    private void await() {
        int phase = phaser.arrive();
        while (phase >= 0) {
            try {
                if (phaser.awaitAdvanceInterruptibly(phase, POLL_MILLIS, TimeUnit.MILLISECONDS) >= 0) {
                    return;
                }
                break;
            } catch (TimeoutException e) {
                TaskContext context = TaskContext.get();
                if (context != null) {
                    context.killTaskIfInterrupted();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the other tasks of the stage", e);
            }
        }
        throw new IllegalStateException("another task of the stage failed", failure);
    }
}
