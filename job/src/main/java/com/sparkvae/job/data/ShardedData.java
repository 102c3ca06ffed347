package com.sparkvae.job.data;

import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;

/**
 * A data set packed into {@link RowBlock}s, one RDD partition per shard, persisted on the executors, as read (no
 * scaling: the model's transform is applied as rows are copied out). {@code source} names it in messages (a URI, or
 * a table with its filter); {@code shardSizes[p]} is the number of rows of partition p; {@code featureColumns} the
 * columns the features come from, in order (one vector or array column, or numeric ones; empty when the source does
 * not name them); {@code fingerprint} an
 * order-independent hash of the rows (the sum of one 64-bit hash per row), recorded in manifests to tell data sets
 * apart; {@code skippedRows} counts malformed rows left out under {@code --bad-rows skip}, with the first few
 * described; {@code imputedValues} counts missing values left for imputation; {@code stats} holds per-column
 * statistics when they were asked for.
 */
public record ShardedData(String source, JavaRDD<RowBlock> blocks, long[] shardSizes, int dim, List<String> featureColumns,
                          long fingerprint, long skippedRows, List<String> skippedExamples, long imputedValues,
                          Optional<ColumnStats> stats) {

    public ShardedData {
        featureColumns = List.copyOf(featureColumns);
        skippedExamples = List.copyOf(skippedExamples);
    }

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
