package com.sparkvae.model;

/**
 * Sums over {@code count} examples of the two terms of the negative ELBO, in nats: the reconstruction term
 * −E_q log p(x|t, w) and KL(q(t|x, φ) ‖ p(t)). Divide by {@code count} once, at the end, for per-example figures.
 */
public record LossSums(double reconstruction, double kl, long count) implements java.io.Serializable {

    public static final LossSums ZERO = new LossSums(0, 0, 0);

    public LossSums plus(LossSums other) {
        return new LossSums(reconstruction + other.reconstruction, kl + other.kl, count + other.count);
    }

    /** The summed negative ELBO. */
    public double negElbo() {
        return reconstruction + kl;
    }

    public double meanNegElbo() {
        return negElbo() / count;
    }

    public double meanReconstruction() {
        return reconstruction / count;
    }

    public double meanKl() {
        return kl / count;
    }

    public boolean isFinite() {
        return Double.isFinite(reconstruction) && Double.isFinite(kl);
    }
}
