package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The heap ReLU gives ND4J's results bit for bit (but for the sign of a zero activation), on the first rows of a
 * larger buffer as the trainer uses it.
 */
class HeapReluTest {
    private static final int ROWS = 6;
    private static final int COLS = 50;

    /** Pre-activations: both zeros, subnormals, the normal range's edges, infinities, and random values. */
    private static float[] preActivations() {
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 3 * Float.MIN_VALUE, Float.MIN_NORMAL,
            -Float.MIN_NORMAL, 1e-30f, -1e-30f, 1f, -1f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY};
        float[] z = new float[ROWS * COLS];
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < z.length; k++) {
            z[k] = k < edges.length ? edges[k] : (float) (random.nextGaussian() * 3);
        }
        return z;
    }

    /** The first ROWS rows of a buffer twice as tall, holding {@code values}. */
    private static INDArray firstRows(float[] values) {
        INDArray buffer = Nd4j.create(DataType.FLOAT, 2 * ROWS, COLS);
        INDArray view = buffer.get(NDArrayIndex.interval(0, ROWS), NDArrayIndex.all());
        HostArrays.copyInto(values, view);
        return view;
    }

    private static void assertSameBits(INDArray expected, INDArray actual) {
        float[] e = HostArrays.toFloatArray(expected);
        float[] a = HostArrays.toFloatArray(actual);
        for (int k = 0; k < e.length; k++) {
            assertEquals(Float.floatToIntBits(e[k]), Float.floatToIntBits(a[k]), "entry " + k + ": " + e[k] + " vs "
                    + a[k]);
        }
    }

    @Test
    void forwardIsNd4jsRectifiedLinearButGivesPositiveZeroForNegativeZero() {
        float[] values = preActivations();
        INDArray z = firstRows(values);
        INDArray expected = firstRows(new float[ROWS * COLS]);
        INDArray actual = firstRows(new float[ROWS * COLS]);
        Activation.RELU.forward(z, expected);
        new HeapRelu(ROWS * COLS).forward(z, actual);
        float[] e = HostArrays.toFloatArray(expected);
        float[] a = HostArrays.toFloatArray(actual);
        for (int k = 0; k < e.length; k++) {
            // ND4J keeps −0; max(−0, 0) is +0, which no product or sum that follows tells apart from −0 unless every
            // term is a zero.
            int expectedBits = Float.floatToIntBits(values[k] == 0f ? 0f : e[k]);
            assertEquals(expectedBits, Float.floatToIntBits(a[k]), "at z = " + values[k] + ": " + e[k] + " vs " + a[k]);
        }
    }

    @Test
    void backwardIsNd4jsStepMaskMultipliedIn() {
        float[] upstream = new float[ROWS * COLS];
        SplittableRandom random = new SplittableRandom(11);
        for (int k = 0; k < upstream.length; k++) {
            upstream[k] = (float) random.nextGaussian();
        }
        // Infinite and NaN gradients meet positive, zero and negative pre-activations.
        float[] special = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (int s = 0; s < special.length; s++) {
            for (int edge : new int[] {0, 2, 9, 10}) {            // z = 0, the smallest subnormal, 1, −1
                upstream[edge + 15 * (s + 1)] = special[s];
            }
        }
        float[] z = preActivations();
        for (int s = 0; s < special.length; s++) {
            System.arraycopy(z, 0, z, 15 * (s + 1), 15);          // the edges again under the special gradients
        }
        INDArray zArray = firstRows(z);
        INDArray dA = firstRows(upstream);
        INDArray expected = firstRows(new float[ROWS * COLS]);
        INDArray actual = firstRows(new float[ROWS * COLS]);
        Activation.RELU.backward(zArray, dA, expected);
        new HeapRelu(ROWS * COLS).backward(zArray, dA, actual);
        assertSameBits(expected, actual);
    }

    @Test
    void leavesTheRowsBeyondTheViewAlone() {
        INDArray buffer = Nd4j.valueArrayOf(new long[] {2 * ROWS, COLS}, 5f, DataType.FLOAT);
        INDArray out = buffer.get(NDArrayIndex.interval(0, ROWS), NDArrayIndex.all());
        new HeapRelu(ROWS * COLS).forward(firstRows(preActivations()), out);
        float[] all = HostArrays.toFloatArray(buffer);
        for (int k = ROWS * COLS; k < all.length; k++) {
            assertEquals(5f, all[k], "entry " + k);
        }
    }
}
