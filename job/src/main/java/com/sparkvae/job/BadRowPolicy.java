package com.sparkvae.job;

/** What to do with a malformed row. */
public enum BadRowPolicy implements Choice {
    /** Fail the job, naming the row's file and position. */
    FAIL,
    /** Leave the row out, counted in the log and the manifest. */
    SKIP
}
