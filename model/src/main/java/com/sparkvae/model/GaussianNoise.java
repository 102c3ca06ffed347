package com.sparkvae.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Standard normal draws ε for the reparameterisation t̂ = m + s ⊙ ε, from an explicit generator, or replayed from
 * draws made earlier (so that a minibatch split across threads sees the draws the whole minibatch would have).
 */
public final class GaussianNoise {
    private final SplittableRandom random;
    private final float[][] replay;
    private final int replayFrom;
    private int replayed;
    private float[] scratch = new float[0];

    public GaussianNoise(SplittableRandom random) {
        this(random, null, 0);
    }

    private GaussianNoise(SplittableRandom random, float[][] replay, int replayFrom) {
        this.random = random;
        this.replay = replay;
        this.replayFrom = replayFrom;
    }

    /**
     * Noise whose i-th {@link #fill} copies {@code draws[i]} from position {@code from}: a slice of rows of each
     * block that {@link #draw} made for a whole minibatch.
     */
    public static GaussianNoise replaying(float[][] draws, int from) {
        return new GaussianNoise(null, draws, from);
    }

    /** Overwrites {@code out[0..n)} with the next {@code n} draws, the values {@link #fill} would have written. */
    public void draw(float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
    }

    /**
     * Overwrites {@code out[0..n)} with the next {@code n} draws, the single-precision values {@link #fill(INDArray)}
     * would have written, widened.
     */
    public void fill(double[] out, int n) {
        float[] next = next(n);
        for (int i = 0; i < n; i++) {
            out[i] = next[i];
        }
    }

    /** Overwrites the contiguous array {@code target} with independent N(0, 1) draws. */
    public void fill(INDArray target) {
        int n = Math.toIntExact(target.length());
        HostArrays.copyInto(next(n), 0, n, target);
    }

    /** The next {@code n} draws, drawn or replayed, in the first {@code n} entries of a reused buffer. */
    private float[] next(int n) {
        if (scratch.length < n) {
            scratch = new float[n];
        }
        if (replay != null) {
            System.arraycopy(replay[replayed++], replayFrom, scratch, 0, n);
        } else {
            draw(scratch, n);
        }
        return scratch;
    }
}
