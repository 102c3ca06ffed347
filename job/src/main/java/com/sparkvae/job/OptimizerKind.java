package com.sparkvae.job;

/** The optimiser of the local steps. */
public enum OptimizerKind implements Choice {
    ADAM,
    SGD
}
