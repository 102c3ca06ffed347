package com.sparkvae.job.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sparkvae.job.LocalSpark;
import com.sparkvae.model.LossSums;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sum across executor JVMs of {@code --rounds stage}, over Spark's own transport: several JVMs' leaders, played
 * here by threads that each own one exchange, all reach one server on loopback, as the leaders of JVMs on one host
 * would reach theirs.
 */
public class PeerExchangeTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(1);
    private static final int LENGTH = 10_007;   // not a multiple of the JVM counts: segments differ by one

    @Test
    void everyJvmGetsTheSumOfThePartialSumsAddedInJvmOrder() throws Exception {
        for (int jvms : new int[] {2, 3, 5}) {
            checkRounds(jvms, 0);
        }
    }

    @Test
    void aJvmWhoseTaskStartsLateIsSentItsSegmentsAgain() throws Exception {
        checkRounds(3, 300);
    }

    /**
     * Runs four rounds among {@code jvms} exchanges, the last registering {@code lateMillis} after the others have
     * started sending, and checks that every JVM got the reference sum of every round, bit for bit. In round 2 JVM 1
     * contributes nothing (its shards are empty) and is left out of the sum, as the driver leaves it out.
     */
    private static void checkRounds(int jvms, long lateMillis) throws Exception {
        int rounds = 4;
        float[][][] partials = new float[rounds][jvms][LENGTH];
        Random random = new Random(jvms);
        for (float[][] round : partials) {
            for (float[] p : round) {
                for (int i = 0; i < LENGTH; i++) {
                    p[i] = (float) random.nextGaussian() * 1000f;
                }
            }
        }
        String key = "test-" + UUID.randomUUID();
        PeerTransport transport = PeerTransport.get("127.0.0.1");
        String[] hosts = new String[jvms];
        int[] ports = new int[jvms];
        java.util.Arrays.fill(hosts, "127.0.0.1");
        java.util.Arrays.fill(ports, transport.port());
        ExecutorService threads = Executors.newFixedThreadPool(jvms);
        try {
            List<Future<float[][]>> sums = new ArrayList<>();
            for (int j = 0; j < jvms; j++) {
                int jvm = j;
                sums.add(threads.submit(() -> {
                    if (jvm == jvms - 1) {
                        Thread.sleep(lateMillis);
                    }
                    PeerExchange exchange = new PeerExchange(key, jvms, jvm, LENGTH);
                    PeerTransport.register(exchange);
                    try {
                        exchange.connect(transport, hosts, ports);
                        float[][] got = new float[rounds][];
                        for (int r = 0; r < rounds; r++) {
                            int contributions = r == 2 && jvm == 1 ? 0 : 2;
                            PeerExchange.Partial mine = new PeerExchange.Partial(contributions, contributions * 64.0,
                                    new LossSums(jvm, r, 64), 0.01 * jvm, 0.02, 2, 1000L * jvm);
                            PeerExchange.Partial[] metas = new PeerExchange.Partial[jvms];
                            got[r] = exchange.allReduce(r, partials[r][jvm], mine, metas).clone();
                            for (int q = 0; q < jvms; q++) {
                                assertEquals(q == 1 && r == 2 ? 0 : 2, metas[q].contributions());
                                assertEquals(1000L * q, metas[q].peakBytes());
                            }
                        }
                        return got;
                    } finally {
                        PeerTransport.unregister(exchange);
                    }
                }));
            }
            for (int j = 0; j < jvms; j++) {
                float[][] got = sums.get(j).get();
                for (int r = 0; r < rounds; r++) {
                    assertArrayEquals(inJvmOrder(partials[r], r == 2 ? 1 : -1), got[r],
                            jvms + " JVMs, JVM " + j + ", round " + r);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** The reference: the first contributing JVM's partial sum, then each later one added, leaving out one JVM. */
    private static float[] inJvmOrder(float[][] partials, int without) {
        float[] sum = null;
        for (int j = 0; j < partials.length; j++) {
            if (j == without) {
                continue;
            }
            if (sum == null) {
                sum = partials[j].clone();
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += partials[j][i];
                }
            }
        }
        return sum;
    }
}
