package com.sparkvae.job;

/** The decoder's observation model (see {@link com.sparkvae.model.Likelihood}). */
public enum LikelihoodKind implements Choice {
    /** Data in [0, 1]; the decoder outputs logits. */
    BERNOULLI,
    /** Real data; the decoder outputs means. */
    GAUSSIAN
}
