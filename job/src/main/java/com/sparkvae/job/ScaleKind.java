package com.sparkvae.job;

/** How features are scaled before the model sees them; the statistics come from the training rows. */
public enum ScaleKind implements Choice {
    /** As they are. */
    NONE,
    /** (x − mean) / standard deviation. */
    STANDARD,
    /** (x − min) / (max − min), into [0, 1] on the training rows. */
    MINMAX
}
