package com.sparkvae.job.data;

import org.apache.spark.api.java.JavaRDD;

/**
 * A data set packed into {@link RowBlock}s, one RDD partition per shard, persisted on the executors.
 * {@code shardSizes[p]} is the number of rows of partition p; {@code fingerprint} is an order-independent hash of
 * the rows (the sum of one 64-bit hash per row), recorded in manifests to tell data sets apart;
 * {@code skippedRows} counts malformed rows left out under {@code --bad-rows skip}, with the first few described.
 */
public record ShardedData(String uri, JavaRDD<RowBlock> blocks, long[] shardSizes, int dim, long fingerprint,
                      long skippedRows, java.util.List<String> skippedExamples) {

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

    /** The shards that hold rows: the replicas whose results are averaged (empty ones sit every round out). */
    public int nonEmptyShards() {
        int count = 0;
        for (long s : shardSizes) {
            if (s > 0) {
                count++;
            }
        }
        return count;
    }

    public void unpersist() {
        blocks.unpersist(false);
    }
}
