package com.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU and its backward pass in single precision, on heap copies of contiguous ND4J arrays: one vectorised Java loop
 * each, where ND4J takes one native op forward and two backward. Warm, both cost a step about the same; from a cold
 * JVM, training without ND4J's ops warms up faster (docs/measurements.md, 2026-11-30, small hours), the JIT having no
 * op machinery of ND4J's to compile before the step's own code. The results are ND4J's
 * ({@code HeapReluTest}), except that a pre-activation of −0 gives +0 forward rather than −0, and a NaN one gives NaN
 * backward rather than 0, where the loss is NaN anyway.
 */
final class HeapRelu {
    private final float[] first;
    private final float[] second;

    /** For arrays of up to {@code capacity} entries. */
    HeapRelu(int capacity) {
        first = new float[capacity];
        second = new float[capacity];
    }

    /** a = max(z, 0). */
    void forward(INDArray z, INDArray a) {
        int n = Math.toIntExact(z.length());
        HostArrays.copyFrom(z, first, n);
        for (int k = 0; k < n; k++) {
            first[k] = Math.max(first[k], 0f);
        }
        HostArrays.copyInto(first, 0, n, a);
    }

    /** dZ = dA ⊙ [z &gt; 0]. */
    void backward(INDArray z, INDArray dA, INDArray dZ) {
        int n = Math.toIntExact(z.length());
        HostArrays.copyFrom(z, first, n);
        HostArrays.copyFrom(dA, second, n);
        for (int k = 0; k < n; k++) {
            // [z > 0] without a branch (C2 vectorises no selects): 1 for every positive float, the smallest subnormal
            // included (2^-149 · 2^252 ≥ 1), and 0 for zeros and negatives. Multiplied in, as ND4J's step mask is,
            // so that an infinite or NaN dA still spreads.
            float mask = Math.min(Math.max(first[k] * 0x1p126f, 0f) * 0x1p126f, 1f);
            second[k] *= mask;
        }
        HostArrays.copyInto(second, 0, n, dZ);
    }
}
