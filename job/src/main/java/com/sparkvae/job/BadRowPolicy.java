package com.sparkvae.job;

/** What to do with a malformed row, or a row with a missing (null) feature. */
public enum BadRowPolicy implements Choice {
    /** Fail the job, naming the row's file and position, or its column and identifying values. */
    FAIL,
    /** Leave the row out, counted in the log and the manifest. */
    SKIP,
    /** Fill a missing feature with its training mean (stored with the model); fail on anything else malformed. */
    IMPUTE
}
