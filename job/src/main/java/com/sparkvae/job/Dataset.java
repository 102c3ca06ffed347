package com.sparkvae.job;

import org.apache.spark.api.java.JavaRDD;

/**
 * A data set packed into {@link RowBlock}s, one RDD partition per shard, persisted on the executors.
 * {@code shardSizes[p]} is the number of rows of partition p.
 */
public record Dataset(String uri, JavaRDD<RowBlock> blocks, long[] shardSizes, int dim) {

    public long size() {
        long n = 0;
        for (long s : shardSizes) {
            n += s;
        }
        return n;
    }

    public int partitions() {
        return shardSizes.length;
    }

    public void unpersist() {
        blocks.unpersist(false);
    }
}
