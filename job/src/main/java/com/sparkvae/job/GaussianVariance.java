package com.sparkvae.job;

/** The variance of the Gaussian likelihood. */
public enum GaussianVariance implements Choice {
    /** A per-feature log-variance, learned with the other parameters. */
    LEARNED,
    /** One log-variance for every feature, held fixed. */
    FIXED
}
