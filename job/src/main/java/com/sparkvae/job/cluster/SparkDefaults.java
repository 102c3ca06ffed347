package com.sparkvae.job.cluster;

import org.apache.spark.SparkConf;

/** Spark settings that suit the job's rounds, applied where the user has not set them. */
public final class SparkDefaults {
    private SparkDefaults() {
    }

    /**
     * Defaults that suit a job shipping a few megabytes of floats each way every round (a user's own setting
     * wins): broadcasts are not compressed (floats barely compress, and compressing costs time every round), task
     * results up to 64 MB travel directly rather than through the block manager, and a barrier stage's rendezvous
     * fails within minutes. Returns {@code conf}.
     */
    public static SparkConf forRounds(SparkConf conf) {
        conf.setIfMissing("spark.broadcast.compress", "false");
        conf.setIfMissing("spark.task.maxDirectResultSize", "64m");
        // --rounds stage: the tasks of a span's stage meet once through allGather, which waits for all of them; a
        // task that never arrives fails the stage after this, and the driver runs the span again, instead of
        // Spark's default of a year. The rounds themselves wait for peers under their own bound (PeerExchange).
        conf.setIfMissing("spark.barrier.sync.timeout", "300s");
        return conf;
    }
}
