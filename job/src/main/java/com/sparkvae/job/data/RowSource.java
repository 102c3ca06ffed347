package com.sparkvae.job.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * One source of rows, opened on the driver (where its mistakes are found before any task runs) and read on the
 * executors into packed {@link RowBlock}s, each row checked once by {@link BadRows}.
 */
interface RowSource {

    /** The features' names in order; empty when the source does not name them (IDX, CSV). */
    List<String> featureNames();

    /**
     * The rows packed into blocks over {@code partitions} shards (0: the source's own partitions, keeping its row
     * order), each row checked by {@code bad}.
     */
    JavaRDD<RowBlock> blocks(int partitions, BadRows bad);
}
