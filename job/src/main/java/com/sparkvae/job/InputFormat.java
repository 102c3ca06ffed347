package com.sparkvae.job;

/** The format of the input files. */
public enum InputFormat implements Choice {
    /** Told from the file name: {@code -ubyte[.gz]} or {@code .idx}, {@code .csv[.gz]}, {@code .parquet}. */
    AUTO,
    IDX,
    CSV,
    PARQUET
}
