package com.sparkvae.job;

/** Whether CSV files start with a header line. */
public enum CsvHeader implements Choice {
    /** When the first line is not numeric. */
    AUTO,
    TRUE,
    FALSE
}
