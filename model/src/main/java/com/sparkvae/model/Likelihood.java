package com.sparkvae.model;

/**
 * The decoder's observation model p(x | t, w). The decoder network outputs one value per feature: the logits of a
 * Bernoulli, or the means of a diagonal Gaussian.
 */
public sealed interface Likelihood extends java.io.Serializable permits Likelihood.Bernoulli, Likelihood.Gaussian {

    /** A short name used in configuration files and model manifests. */
    String key();

    /**
     * x_d ∈ [0, 1] with −log p(x | l) = Σ_d softplus(l_d) − x_d l_d for logits l (binary cross-entropy, also used
     * for grey levels in [0, 1] as is customary for MNIST-like data).
     */
    record Bernoulli() implements Likelihood {
        @Override
        public String key() {
            return "bernoulli";
        }
    }

    /**
     * x_d ∈ ℝ with −log p(x | μ) = ½ Σ_d [log 2π + v_d + (x_d − μ_d)² e^{−v_d}], where v is a per-feature log-variance:
     * a parameter of the model, starting at {@code logVariance}, when {@code learned}; the constant
     * {@code logVariance} otherwise.
     */
    record Gaussian(boolean learned, double logVariance) implements Likelihood {
        public Gaussian {
            if (!Double.isFinite(logVariance)) {
                throw new IllegalArgumentException("Gaussian log-variance must be finite, got " + logVariance);
            }
        }

        @Override
        public String key() {
            return "gaussian";
        }
    }
}
