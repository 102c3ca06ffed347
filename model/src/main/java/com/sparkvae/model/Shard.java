package com.sparkvae.model;

/** Read access to one shard of the data set: {@link #size()} rows of {@link #dimension()} floats each. */
public interface Shard {

    long size();

    int dimension();

    /** Copies rows {@code indices[0..count)} one after another into {@code dst}, row-major. */
    void copyRows(long[] indices, int count, float[] dst);

    /** Copies the consecutive rows {@code [start, start + count)} into {@code dst}, row-major. */
    void copyRange(long start, int count, float[] dst);
}
