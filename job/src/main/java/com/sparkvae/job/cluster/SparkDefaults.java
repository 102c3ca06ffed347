package com.sparkvae.job.cluster;

import org.apache.spark.SparkConf;

/** Spark settings that suit the job's rounds, applied where the user has not set them. */
public final class SparkDefaults {
    private SparkDefaults() {
    }

    /**
     * Two defaults that suit a job shipping a few megabytes of floats each way every round (a user's own setting
     * wins): broadcasts are not compressed (floats barely compress, and compressing costs time every round), and
     * task results up to 64 MB travel directly rather than through the block manager. Returns {@code conf}.
     */
    public static SparkConf forRounds(SparkConf conf) {
        conf.setIfMissing("spark.broadcast.compress", "false");
        conf.setIfMissing("spark.task.maxDirectResultSize", "64m");
        return conf;
    }
}
