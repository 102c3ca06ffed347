package com.sparkvae.job.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sparkvae.model.LossSums;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** What crosses the wire each round survives Java serialization bit for bit. */
public class WireFormatTest {

    @Test
    void broadcastRoundInputRoundTrips() throws Exception {
        float[] v = values(3_000_001);
        RoundInput back = roundTrip(new RoundInput(v, 42, new double[] {0.5, 0.25}));
        assertArrayEquals(v, back.vector());
        assertEquals(42, back.iteration());
        assertArrayEquals(new double[] {0.5, 0.25}, back.learningRates());
    }

    @Test
    void replicaSumsRoundTripAndMergeAsBefore() throws Exception {
        float[] a = values(1000);
        float[] b = values(1000);
        ReplicaSum merged = roundTrip(ReplicaSum.of(a, 3, new LossSums(1, 2, 3), 0.1, 7 << 20))
                .merge(roundTrip(ReplicaSum.of(b, 1, new LossSums(4, 5, 6), 0.2, 5 << 20)));
        float[] mean = merged.mean();
        for (int i = 0; i < a.length; i++) {
            double expected = (3.0 * a[i] + b[i]) / 4;
            assertClose(expected, mean[i], "value " + i);
        }
        assertEquals(new LossSums(5, 7, 9), merged.losses());
        assertEquals(0.2, merged.slowestTaskSeconds());
        assertEquals(0.3, merged.totalTaskSeconds(), 1e-12);
        assertEquals(2, merged.tasks());
        assertEquals(7 << 20, merged.peakExecutorBytes(), "the largest executor's peak");
        assertEquals(true, roundTrip(ReplicaSum.empty()).isEmpty());
        assertEquals(0, ReplicaSum.empty().merge(roundTrip(ReplicaSum.empty())).tasks(), "an empty partition's");
    }

    @Test
    void partialSumsFromDeeperTreesMergeToTheSameMean() throws Exception {
        float[] a = values(1000);
        float[] b = values(1000);
        float[] c = values(1000);
        ReplicaSum left = roundTrip(roundTrip(ReplicaSum.of(a.clone(), 2, LossSums.ZERO, 0, 0))
                .merge(roundTrip(ReplicaSum.of(b.clone(), 5, LossSums.ZERO, 0, 0))));
        ReplicaSum right = roundTrip(ReplicaSum.of(c.clone(), 1, LossSums.ZERO, 0, 0));
        float[] mean = roundTrip(right.merge(left)).mean();
        for (int i = 0; i < a.length; i++) {
            double expected = (2.0 * a[i] + 5.0 * b[i] + c[i]) / 8;
            assertClose(expected, mean[i], "value " + i);
        }
    }

    @Test
    void aLoneContributionIsItsOwnMean() {
        float[] a = values(10);
        float[] mean = ReplicaSum.of(a, 30_000, LossSums.ZERO, 0, 0).mean();
        assertArrayEquals(values(10), mean);
    }

    /** Equal to single precision (sums are formed in floats), NaN included. */
    private static void assertClose(double expected, float actual, String what) {
        assertEquals(Double.isNaN(expected), Float.isNaN(actual), what);
        if (!Double.isNaN(expected)) {
            assertEquals(expected, actual, 1e-6 * Math.abs(expected) + 1e-36, what);
        }
    }

    private static float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i) * (i % 7 == 0 ? 1e-30f : 1e3f);
        }
        v[n / 2] = Float.NaN;
        return v;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
