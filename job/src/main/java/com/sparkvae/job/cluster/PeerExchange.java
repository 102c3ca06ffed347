package com.sparkvae.job.cluster;

import com.sparkvae.model.LossSums;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;

/**
 * One stage attempt's sum across executor JVMs, by one JVM's leader task, over {@link PeerTransport}: every round
 * each JVM brings its partial sum (Σ w_p v_p over its partitions, in partition order) and what goes with it, and
 * every JVM gets back the sum of all partial sums, each element added in JVM order (JVMs ordered by their lowest
 * partition), so all take the same step from the same bits.
 *
 * <p>The sum is a reduce-scatter followed by an all-gather. The vector is cut into J segments, one per JVM. First
 * each JVM sends segment j of its partial sum to JVM j (phase 0, with its loss sums and timings), and sums its own
 * segment over all JVMs; then it sends that summed segment to every other JVM (phase 1). So a JVM sends and receives
 * 2 (J − 1) / J of the vector a round, whatever J, where sending its whole partial sum to each peer would move
 * J − 1 vectors; the price is a second message latency.
 *
 * <p>A peer is at most one phase ahead: its phase 1 needs this JVM's phase 0, and its next round's phase 0 may come
 * while this JVM still waits for a third JVM's phase 1. Phase 0 lands in one of two staging buffers per peer, by
 * the round's parity; phase 1 lands straight in the sum's segment of its sender, which nobody reads until the
 * round's end. A message to a JVM whose task has not yet registered this attempt (a span's tasks start a few
 * milliseconds apart when they skip the rendezvous, {@link SpanTask}) is answered "not yet" and sent again shortly.
 * Waiting checks Spark's kill flag and gives up after {@link #TIMEOUT_MILLIS}: an executor that is lost fails the
 * stage, and Spark kills the rest of its tasks.
 */
final class PeerExchange {
    /** How long a leader waits for a peer's segment or acknowledgement before it fails the stage. */
    static final long TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final long POLL_MILLIS = 100;
    /** How long a message answered "not yet" waits before it is sent again. */
    private static final long RETRY_MILLIS = 10;
    /**
     * Destination, source, round, phase, contributions, tasks and length (ints); weight, reconstruction, KL, slowest
     * and total seconds (doubles); count and peak (longs).
     */
    private static final int HEADER = 7 * 4 + 5 * 8 + 2 * 8;

    /** What one JVM contributes to a round beside its partial sum. */
    record Partial(int contributions, double weight, LossSums losses, double slowestSeconds, double totalSeconds,
                   int tasks, long peakBytes) {
    }

    private final String key;
    private final int jvms;
    private final int self;
    /** {@code bounds[j]} to {@code bounds[j + 1]}: JVM j's segment of the vector. */
    private final int[] bounds;
    /** Phase 0: {@code staging[j][round & 1]} holds JVM j's partial sum of this JVM's segment. */
    private final float[][][] staging;
    private final Partial[][] partials;
    private final int[][] arrived;
    /** Phase 1: the round's sum, segment j from JVM j, this JVM's own segment summed here. */
    private final float[] sum;
    private final int[] gathered;
    private final Object lock = new Object();
    private final List<Runnable> retries = new ArrayList<>();
    private TransportClient[] peers;
    private ByteBuffer[] scatterBox;
    private ByteBuffer[] gatherBox;
    private int unacknowledged;
    private Throwable failure;

    PeerExchange(String key, int jvms, int self, int length) {
        this.key = key;
        this.jvms = jvms;
        this.self = self;
        this.bounds = new int[jvms + 1];
        for (int j = 0; j <= jvms; j++) {
            bounds[j] = (int) ((long) j * length / jvms);
        }
        this.staging = new float[jvms][2][];
        this.partials = new Partial[jvms][2];
        this.arrived = new int[jvms][2];
        this.gathered = new int[jvms];
        for (int j = 0; j < jvms; j++) {
            if (j != self) {
                staging[j][0] = new float[segment(self)];
                staging[j][1] = new float[segment(self)];
            }
            arrived[j][0] = -1;
            arrived[j][1] = -1;
            gathered[j] = -1;
        }
        this.sum = new float[length];
    }

    int jvms() {
        return jvms;
    }

    /** The name this JVM's end registers under with its {@link PeerTransport}: the attempt's key and its JVM. */
    String name() {
        return name(key, self);
    }

    static String name(String key, int jvm) {
        return key + "#" + jvm;
    }

    private int segment(int jvm) {
        return bounds[jvm + 1] - bounds[jvm];
    }

    /** Connects this JVM's leader to the other JVMs' servers, {@code hosts[j]:ports[j]} for JVM j. */
    void connect(PeerTransport transport, String[] hosts, int[] ports) {
        peers = new TransportClient[jvms];
        scatterBox = new ByteBuffer[jvms];
        gatherBox = new ByteBuffer[jvms];
        int keyBytes = PeerTransport.keyBytes(key);
        for (int j = 0; j < jvms; j++) {
            if (j != self) {
                peers[j] = transport.connect(hosts[j], ports[j]);
                scatterBox[j] = ByteBuffer.allocateDirect(keyBytes + HEADER + 4 * segment(j))
                        .order(ByteOrder.LITTLE_ENDIAN);
                gatherBox[j] = ByteBuffer.allocateDirect(keyBytes + HEADER + 4 * segment(self))
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /**
     * A peer's message, its key and destination already read: phase 0 lands in the staging buffer of its round's
     * parity, phase 1 in the sum's segment of its sender.
     */
    void received(ByteBuffer b) {
        int source = b.getInt();
        int round = b.getInt();
        int phase = b.getInt();
        Partial p = new Partial(b.getInt(), b.getDouble(), new LossSums(b.getDouble(), b.getDouble(), b.getLong()),
                b.getDouble(), b.getDouble(), b.getInt(), b.getLong());
        int n = b.getInt();
        if (source == self || source < 0 || source >= jvms || (phase != 0 && phase != 1)
                || n != segment(phase == 0 ? self : source)) {
            fail(new IllegalStateException("a message of " + n + " values from JVM " + source + ", phase " + phase
                    + ", does not fit stage attempt " + key));
            return;
        }
        if (phase == 0) {
            b.asFloatBuffer().get(staging[source][round & 1], 0, n);
        } else {
            b.asFloatBuffer().get(sum, bounds[source], n);
        }
        synchronized (lock) {
            if (phase == 0) {
                partials[source][round & 1] = p;
                arrived[source][round & 1] = round;
            } else {
                gathered[source] = round;
            }
            lock.notifyAll();
        }
    }

    /**
     * Sums every JVM's round {@code round} in JVM order: this JVM brings {@code partial} and {@code mine}; returns the
     * sum of the partial sums of the JVMs with contributions (zeros if none has), valid until the next round's call.
     * {@code metas} receives every JVM's {@link Partial}.
     */
    float[] allReduce(int round, float[] partial, Partial mine, Partial[] metas) {
        int parity = round & 1;
        for (int j = 0; j < jvms; j++) {
            if (j != self) {
                send(j, message(scatterBox[j], j, round, 0, mine, partial, bounds[j], segment(j)));
            }
        }
        waitUntil(() -> {
            for (int j = 0; j < jvms; j++) {
                if (j != self && arrived[j][parity] != round) {
                    return false;
                }
            }
            return true;
        }, "the segments of round " + round);
        for (int j = 0; j < jvms; j++) {
            metas[j] = j == self ? mine : partials[j][parity];
        }
        sumOwnSegment(partial, metas, parity);
        for (int j = 0; j < jvms; j++) {
            if (j != self) {
                send(j, message(gatherBox[j], j, round, 1, mine, sum, bounds[self], segment(self)));
            }
        }
        waitUntil(() -> {
            for (int j = 0; j < jvms; j++) {
                if (j != self && gathered[j] != round) {
                    return false;
                }
            }
            return unacknowledged == 0;   // then both phases' buffers may be written again
        }, "the sums of round " + round);
        return sum;
    }

    /** This JVM's segment of the sum: the contributing JVMs' partial sums of it, added in JVM order. */
    private void sumOwnSegment(float[] partial, Partial[] metas, int parity) {
        int from = bounds[self];
        int n = segment(self);
        boolean first = true;
        for (int j = 0; j < jvms; j++) {
            if (metas[j].contributions() == 0) {
                continue;
            }
            float[] v = j == self ? partial : staging[j][parity];
            int offset = j == self ? from : 0;
            if (first) {
                System.arraycopy(v, offset, sum, from, n);
                first = false;
            } else {
                for (int i = 0; i < n; i++) {
                    sum[from + i] += v[offset + i];
                }
            }
        }
        if (first) {
            java.util.Arrays.fill(sum, from, from + n, 0f);
        }
    }

    /** Writes a message into {@code box}: the header and {@code values[from, from + n)}; returns it ready to send. */
    private ByteBuffer message(ByteBuffer box, int destination, int round, int phase, Partial mine, float[] values,
                               int from, int n) {
        ByteBuffer out = box.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        out.clear();
        PeerTransport.putKey(out, key);
        out.putInt(destination).putInt(self).putInt(round).putInt(phase).putInt(mine.contributions())
                .putDouble(mine.weight()).putDouble(mine.losses().reconstruction()).putDouble(mine.losses().kl())
                .putLong(mine.losses().count()).putDouble(mine.slowestSeconds()).putDouble(mine.totalSeconds())
                .putInt(mine.tasks()).putLong(mine.peakBytes()).putInt(n);
        out.asFloatBuffer().put(values, from, n);
        out.position(out.position() + 4 * n).flip();
        return out;
    }

    private void send(int peer, ByteBuffer message) {
        synchronized (lock) {
            unacknowledged++;
        }
        transmit(peer, message);
    }

    private void transmit(int peer, ByteBuffer message) {
        peers[peer].sendRpc(message.duplicate(), new RpcResponseCallback() {
            @Override
            public void onSuccess(ByteBuffer response) {
                synchronized (lock) {
                    if (PeerTransport.notYet(response)) {
                        retries.add(() -> transmit(peer, message));
                    } else {
                        unacknowledged--;
                    }
                    lock.notifyAll();
                }
            }

            @Override
            public void onFailure(Throwable e) {
                fail(new IllegalStateException("sending to JVM " + peer + " of stage attempt " + key + " failed", e));
            }
        });
    }

    private void fail(Throwable t) {
        synchronized (lock) {
            if (failure == null) {
                failure = t;
            }
            lock.notifyAll();
        }
    }

    private interface Condition {
        boolean holds();
    }

    private void waitUntil(Condition done, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        synchronized (lock) {
            while (!done.holds()) {
                if (failure != null) {
                    throw new IllegalStateException("waiting for " + what + " of stage attempt " + key, failure);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no peer answered with " + what + " of stage attempt " + key
                            + " within " + TIMEOUT_MILLIS / 1000 + " s");
                }
                try {
                    lock.wait(retries.isEmpty() ? POLL_MILLIS : RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + what, e);
                }
                List<Runnable> again = new ArrayList<>(retries);
                retries.clear();
                again.forEach(Runnable::run);
                TaskContext context = TaskContext.get();
                if (context != null) {
                    context.killTaskIfInterrupted();
                }
            }
            if (failure != null) {
                throw new IllegalStateException("waiting for " + what + " of stage attempt " + key, failure);
            }
        }
    }
}
