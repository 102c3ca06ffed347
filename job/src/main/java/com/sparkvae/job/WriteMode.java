package com.sparkvae.job;

/** What a write does when its output (a directory or a table) already exists: Spark's save modes. */
public enum WriteMode implements Choice {
    /** Refuse, naming the output. */
    ERROR,
    /** Replace it. */
    OVERWRITE,
    /** Add the new rows to it. */
    APPEND
}
