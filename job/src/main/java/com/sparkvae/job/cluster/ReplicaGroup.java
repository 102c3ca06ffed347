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
 * <p>When the stage's tasks run in several executor JVMs, each JVM's group first forms its partial sum the same way
 * (slice by slice, not divided), then its leader, the member of lowest partition, sums the partial sums with the
 * other JVMs' leaders ({@link PeerExchange}, each element in JVM order), divides, takes the outer step, and the
 * members take the result from it. With one task per JVM every element is summed exactly as by the driver.
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
    /** The exchange with the other executor JVMs' groups; null when the stage runs in this JVM alone. */
    private final PeerExchange exchange;
    /** This JVM's Σ w_p v_p, undivided, when there is an exchange. */
    private final float[] partial;
    /** The round as the leader settled it with the other JVMs: read by the members after the round's last wait. */
    private Averaged settled;
    private int exchanged;
    private volatile Throwable failure;

    private ReplicaGroup(int members, SpanInput in, PeerExchange exchange) {
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
        this.exchange = exchange;
        this.partial = exchange == null ? null : new float[global.length];
    }

    /**
     * The group of the stage attempt {@code key}, of {@code members} tasks in this JVM, created by its first member;
     * with {@code exchange} non-null (the stage spans JVMs), the exchange it creates is registered with this JVM's
     * {@link PeerTransport} under the key.
     */
    static ReplicaGroup join(String key, int members, SpanInput in, java.util.function.Supplier<PeerExchange> exchange) {
        ReplicaGroup group = GROUPS.computeIfAbsent(key, k -> {
            PeerExchange e = exchange == null ? null : exchange.get();
            if (e != null) {
                PeerTransport.register(e);
            }
            return new ReplicaGroup(members, in, e);
        });
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
            if (exchange != null) {
                PeerTransport.unregister(exchange);
            }
        }
    }

    /** The leader's connections to the other JVMs' leaders, {@code hosts[j]:ports[j]} for JVM j. */
    void connect(PeerTransport transport, String[] hosts, int[] ports) {
        exchange.connect(transport, hosts, ports);
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
        return exchange == null ? averageHere(rank) : averageAcross(rank);
    }

    private Averaged averageHere(int rank) {
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

    /**
     * The round across JVMs: the members form this JVM's partial sum slice by slice, the leader settles the round
     * with the other JVMs' leaders, and every member takes what it settled.
     */
    private Averaged averageAcross(int rank) {
        int n = global.length;
        int from = (int) ((long) rank * n / members);
        int to = (int) ((long) (rank + 1) * n / members);
        partialSlice(from, to);
        SpanResult.RoundRecord here = record();
        int count = 0;
        double weight = 0;
        for (int q = 0; q < members; q++) {
            if (contributions[q] != null) {
                count++;
                weight += weights[q];
            }
        }
        PeerExchange.Partial mine = new PeerExchange.Partial(count, weight, here.losses(),
                here.slowestTaskSeconds(), here.totalTaskSeconds(), here.tasks(), here.peakExecutorBytes());
        await();
        if (rank == 0) {
            settled = settle(mine);
        }
        await();
        return settled;
    }

    /** The leader's part: the sum of every JVM's partial sum, in JVM order, divided, and the outer step. */
    private Averaged settle(PeerExchange.Partial mine) {
        int jvms = exchange.jvms();
        PeerExchange.Partial[] metas = new PeerExchange.Partial[jvms];
        float[] sum = exchange.allReduce(exchanged++, partial, mine, metas);
        System.arraycopy(global, 0, roundStart, 0, global.length);
        System.arraycopy(outerBuffer, 0, outerBefore, 0, outerBuffer.length);
        int count = 0;
        double weight = 0;
        LossSums losses = LossSums.ZERO;
        double slowest = 0;
        double seconds = 0;
        int tasks = 0;
        long peak = 0;
        for (PeerExchange.Partial m : metas) {
            losses = losses.plus(m.losses());
            slowest = Math.max(slowest, m.slowestSeconds());
            seconds += m.totalSeconds();
            tasks += m.tasks();
            peak = Math.max(peak, m.peakBytes());
            count += m.contributions();
            weight += m.weight();
        }
        if (count == 0) {
            throw new IllegalStateException("no partition of the stage holds data");
        }
        double factor = 1.0 / weight;
        if (factor != 1.0) {
            float f = (float) factor;
            for (int i = 0; i < global.length; i++) {
                global[i] = sum[i] * f;
            }
        } else {
            System.arraycopy(sum, 0, global, 0, global.length);
        }
        outer.stepInPlace(roundStart, global, outerBuffer, 0, parameterCount);
        boolean finite = losses.isFinite();
        for (int i = 0; i < parameterCount && finite; i++) {
            finite = Float.isFinite(global[i]);
        }
        return new Averaged(finite, new SpanResult.RoundRecord(losses, slowest, seconds, tasks, peak, 0));
    }

    /** This JVM's Σ w_p v_p over its contributions, in partition order, undivided, into {@code partial[from, to)}. */
    private void partialSlice(int from, int to) {
        boolean first = true;
        for (int q = 0; q < members; q++) {
            float[] v = contributions[q];
            if (v == null) {
                continue;
            }
            float w = (float) weights[q];
            if (first) {
                for (int i = from; i < to; i++) {
                    partial[i] = v[i] * w;
                }
                first = false;
            } else {
                for (int i = from; i < to; i++) {
                    partial[i] += w * v[i];
                }
            }
        }
        if (first) {
            java.util.Arrays.fill(partial, from, to, 0f);
        }
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
