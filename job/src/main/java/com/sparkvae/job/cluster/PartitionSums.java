package com.sparkvae.job.cluster;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;

/**
 * Runs a task on every partition of an RDD and sums the tasks' results, as {@code treeAggregate} does, for one round
 * of training. When the tree adds no level (few partitions, or depth 1), the tasks' results are merged on the driver
 * as they arrive from a single {@code runJob}: the same job treeAggregate would run, without the per-call closure
 * cleaning (bytecode scans of Spark's classes), zero-value clones and wrapper RDDs that cost a few milliseconds of
 * every round, and in partition order, so that the sum is the same in every run. With more partitions,
 * treeAggregate, so that about P^(1/depth) partial sums reach the driver; its shuffle and final reduce merge in
 * the order results arrive, so there the last bits of a sum can differ from run to run. The runJob goes through
 * {@link SparkLine}, the seam between the Spark lines.
 */
public final class PartitionSums {
    /** What a task computes from its partition's rows. */
    public interface PartitionTask<T, R> extends SparkLine.PartitionTask<T, R> {
    }

    private PartitionSums() {
    }

    /**
     * Σ over partitions of {@code task}'s result, summed with {@code merge} starting from {@code empty} (which this
     * call may modify and return).
     */
    public static <T, R extends Serializable> R sum(JavaRDD<T> rdd, PartitionTask<T, R> task, R empty,
                                            Function2<R, R, R> merge, int depth, Class<R> type) {
        int partitions = rdd.getNumPartitions();
        if (treeAddsLevel(partitions, depth)) {
            return rdd.mapPartitionsWithIndex((p, rows) -> List.of(task.apply(p, rows)).iterator(), true)
                    .treeAggregate(empty, merge, merge, depth);
        }
        DriverMerge<R> handler = new DriverMerge<>(empty, merge);
        SparkLine.runOnEveryPartition(rdd, task, handler, type);
        return handler.total;
    }

    /** Whether Spark's treeAggregate would merge in the executors before the driver: its own test, from RDD.scala. */
    static boolean treeAddsLevel(int partitions, int depth) {
        if (depth < 2) {
            return false;
        }
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        return partitions > scale + (int) Math.ceil((double) partitions / scale);
    }

    /**
     * Merges the tasks' results into the total on the driver in partition order, whatever order the scheduler hands
     * them over in (one at a time): a floating-point sum depends on its order, and a run must repeat bit for bit. A
     * result that arrives before a lower partition's waits for it; at the default depth this path takes at most 5
     * partitions, so at most 4 results wait.
     */
    private static final class DriverMerge<R> implements BiConsumer<Integer, R> {
        private final Function2<R, R, R> merge;
        private final Map<Integer, R> waiting = new HashMap<>();
        private int next;
        private R total;

        DriverMerge(R empty, Function2<R, R, R> merge) {
            this.total = empty;
            this.merge = merge;
        }

        @Override
        public void accept(Integer partition, R result) {
            waiting.put(partition, result);
            for (R r = waiting.remove(next); r != null; r = waiting.remove(next)) {
                try {
                    total = merge.call(total, r);
                } catch (Exception e) {
                    throw new IllegalStateException("merging the result of partition " + next, e);
                }
                next++;
            }
        }
    }
}
