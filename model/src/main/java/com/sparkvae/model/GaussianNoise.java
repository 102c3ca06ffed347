package com.sparkvae.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Standard normal draws ε for the reparameterisation t̂ = m + s ⊙ ε, from an explicit generator. */
public final class GaussianNoise {
    private final SplittableRandom random;
    private float[] scratch = new float[0];

    public GaussianNoise(SplittableRandom random) {
        this.random = random;
    }

    /** Overwrites the contiguous array {@code target} with independent N(0, 1) draws. */
    public void fill(INDArray target) {
        int n = Math.toIntExact(target.length());
        if (scratch.length < n) {
            scratch = new float[n];
        }
        for (int i = 0; i < n; i++) {
            scratch[i] = (float) random.nextGaussian();
        }
        HostArrays.copyInto(scratch, 0, n, target);
    }
}
