package com.sparkvae.job;

/** The driver's step from the replicas' mean at the end of a round (see {@link com.sparkvae.model.OuterOptimizer}). */
public enum OuterKind implements Choice {
    /** The mean itself: plain parameter averaging. */
    AVG,
    /** Heavy-ball momentum on the averaged update (SlowMo). */
    MOMENTUM,
    /** Nesterov momentum on the averaged update (as in DiLoCo). */
    NESTEROV
}
