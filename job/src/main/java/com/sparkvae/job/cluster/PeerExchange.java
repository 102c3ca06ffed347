package com.sparkvae.job.cluster;

import com.sparkvae.model.LossSums;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;

/**
 * One stage attempt's exchange between executor JVMs: every round, each JVM's leader task sends its JVM's partial
 * sum (Σ w_p v_p over its partitions, in partition order) and what goes with it to every other JVM's leader, and
 * receives theirs, over {@link PeerTransport}. Every leader then holds all partial sums and sums them in JVM order
 * (JVMs ordered by their lowest partition), so all take the same step from the same bits. One message latency a
 * round; each leader sends its partial J − 1 times.
 *
 * <p>A peer is at most one round ahead (its next round needs this JVM's partial, sent only after this round's sums
 * were read), so two staging buffers per peer, by the round's parity, keep a message from landing on one still read.
 * Waiting checks Spark's kill flag and gives up after {@link #TIMEOUT_MILLIS}: an executor that is lost fails the
 * stage, and Spark kills the rest of its tasks.
 */
final class PeerExchange {
    /** How long a leader waits for a peer's partial sum or acknowledgement before it fails the stage. */
    static final long TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final long POLL_MILLIS = 100;
    /**
     * Source, round, contributions, tasks and length (ints); weight, reconstruction, KL, slowest and total seconds
     * (doubles); count and peak (longs).
     */
    private static final int HEADER = 5 * 4 + 5 * 8 + 2 * 8;

    /** What one JVM contributes to a round beside its partial sum. */
    record Partial(int contributions, double weight, LossSums losses, double slowestSeconds, double totalSeconds,
                   int tasks, long peakBytes) {
    }

    private final String key;
    private final int jvms;
    private final int self;
    private final int length;
    private final float[][][] staging;
    private final Partial[][] partials;
    private final int[][] arrived;
    private final Object lock = new Object();
    private TransportClient[] peers;
    private ByteBuffer outbox;
    private int unacknowledged;
    private Throwable failure;

    PeerExchange(String key, int jvms, int self, int length) {
        this.key = key;
        this.jvms = jvms;
        this.self = self;
        this.length = length;
        this.staging = new float[jvms][2][];
        this.partials = new Partial[jvms][2];
        this.arrived = new int[jvms][2];
        for (int j = 0; j < jvms; j++) {
            if (j != self) {
                staging[j][0] = new float[length];
                staging[j][1] = new float[length];
            }
            arrived[j][0] = -1;
            arrived[j][1] = -1;
        }
    }

    int jvms() {
        return jvms;
    }

    /** Connects this JVM's leader to the other JVMs' servers, {@code hosts[j]:ports[j]} for JVM j. */
    void connect(PeerTransport transport, String[] hosts, int[] ports) {
        peers = new TransportClient[jvms];
        for (int j = 0; j < jvms; j++) {
            if (j != self) {
                peers[j] = transport.connect(hosts[j], ports[j]);
            }
        }
        outbox = ByteBuffer.allocateDirect(PeerTransport.keyBytes(key) + HEADER + 4 * length)
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A peer's message, its key already read: its round's partial sum lands in the staging buffer of its parity. */
    void received(ByteBuffer b) {
        int source = b.getInt();
        int round = b.getInt();
        Partial p = new Partial(b.getInt(), b.getDouble(), new LossSums(b.getDouble(), b.getDouble(), b.getLong()),
                b.getDouble(), b.getDouble(), b.getInt(), b.getLong());
        int n = b.getInt();
        if (n != length || source == self || source < 0 || source >= jvms) {
            fail(new IllegalStateException("a message of " + n + " values from JVM " + source + " does not fit "
                    + "stage attempt " + key));
            return;
        }
        b.asFloatBuffer().get(staging[source][round & 1], 0, n);
        synchronized (lock) {
            partials[source][round & 1] = p;
            arrived[source][round & 1] = round;
            lock.notifyAll();
        }
    }

    /**
     * Sends this JVM's round {@code round} ({@code partial} and {@code mine}) to every peer, waits for theirs and for
     * the acknowledgements of its own, and returns every JVM's partial sum in JVM order ({@code partial} itself at
     * this JVM's place), valid until the round after next. {@code metas} receives every JVM's {@link Partial}.
     */
    float[][] exchange(int round, float[] partial, Partial mine, Partial[] metas) {
        ByteBuffer out = outbox.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        out.clear();
        PeerTransport.putKey(out, key);
        out.putInt(self).putInt(round).putInt(mine.contributions()).putDouble(mine.weight())
                .putDouble(mine.losses().reconstruction()).putDouble(mine.losses().kl()).putLong(mine.losses().count())
                .putDouble(mine.slowestSeconds()).putDouble(mine.totalSeconds()).putInt(mine.tasks())
                .putLong(mine.peakBytes()).putInt(partial.length);
        out.asFloatBuffer().put(partial);
        out.position(out.position() + 4 * partial.length).flip();
        synchronized (lock) {
            unacknowledged = jvms - 1;
        }
        for (int j = 0; j < jvms; j++) {
            if (j != self) {
                send(j, out.duplicate());
            }
        }
        float[][] all = new float[jvms][];
        waitUntil(() -> {
            for (int j = 0; j < jvms; j++) {
                if (j != self && arrived[j][round & 1] != round) {
                    return false;
                }
            }
            return unacknowledged == 0;
        }, "the partial sums of round " + round);
        for (int j = 0; j < jvms; j++) {
            all[j] = j == self ? partial : staging[j][round & 1];
            metas[j] = j == self ? mine : partials[j][round & 1];
        }
        return all;
    }

    private void send(int peer, ByteBuffer message) {
        peers[peer].sendRpc(message, new RpcResponseCallback() {
            @Override
            public void onSuccess(ByteBuffer response) {
                synchronized (lock) {
                    unacknowledged--;
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
                    lock.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + what, e);
                }
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
