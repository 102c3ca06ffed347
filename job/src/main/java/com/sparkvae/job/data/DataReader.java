package com.sparkvae.job.data;

import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.InputSpec;
import com.sparkvae.job.TaskFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Reads a source of rows into {@code partitions} shards of packed {@link RowBlock}s: opens it ({@link IdxSource},
 * {@link CsvSource} or {@link SparkSource}), checks every value as it is read (finite; within [0, 1] when the model
 * needs it), persists the blocks, and in one pass counts each shard, fingerprints the rows and, when asked, gathers
 * each column's statistics.
 */
public final class DataReader {
    private static final Logger LOG = LoggerFactory.getLogger(DataReader.class);
    private final SparkSession spark;

    public DataReader(SparkSession spark) {
        this.spark = spark;
    }

    /** The source {@code spec} names, opened on the driver, where its mistakes are found. */
    static RowSource open(SparkSession spark, InputSpec spec) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (spec.table().isPresent()) {
            return SparkSource.open(spark, spec);
        }
        String uri = spec.uri().orElseThrow();
        InputFiles.matches(uri, jsc.hadoopConfiguration());   // a missing input is named as such, whatever its name
        InputFormat format = spec.format().resolve(uri);
        if (!format.isSparkSource()) {
            String needs = spec.where().isPresent() ? (spec.option().equals("input") ? "where" : spec.option()
                    + "-where") : spec.features().isPresent() ? "features" : "";
            if (!needs.isEmpty()) {
                throw new ConfigException(needs + ": " + uri + " is read as " + format + ", whose rows are taken "
                        + "whole; filters and feature columns need a table or a Spark data source (--format parquet, "
                        + "orc, json, ...)");
            }
        }
        if (format.equals(InputFormat.IDX)) {
            return IdxSource.open(jsc, uri);
        }
        if (format.equals(InputFormat.CSV)) {
            return CsvSource.open(jsc, uri, spec.csvHeader());
        }
        return SparkSource.open(spark, spec);
    }

    /**
     * The rows of {@code spec} over {@code partitions} shards (0: the source's own partitions and row order).
     * {@code unitInterval}: values must lie in [0, 1]; {@code statistics}: gather each column's statistics.
     */
    public ShardedData read(InputSpec spec, int partitions, boolean unitInterval, boolean statistics) {
        return guarded(spec.describe(), () -> load(open(spark, spec), spec.describe(), spec.badRows(),
                spec.where().isPresent(), partitions, unitInterval, statistics));
    }

    /**
     * The rows of a DataFrame, read as {@link #read} reads a table: the features {@code features} name (resolved
     * against its schema), bad rows treated by {@code badRows}; {@code source} names it in messages.
     */
    public ShardedData readFrame(Dataset<Row> rows, Optional<List<String>> features, String source,
                                 BadRowPolicy badRows, int partitions, boolean unitInterval, boolean statistics) {
        return guarded(source, () -> load(SparkSource.ofFrame(rows, features, source), source, badRows, false,
                partitions, unitInterval, statistics));
    }

    private static ShardedData guarded(String source, java.util.function.Supplier<ShardedData> reading) {
        try {
            return reading.get();
        } catch (Exception e) { // Spark's SparkException is checked, though Scala throws it undeclared
            TaskFailures.rethrowJobException(e);
            throw e instanceof RuntimeException r ? r : new IllegalStateException("reading " + source + " failed", e);
        }
    }

    /** {@code filtered}: the source keeps only the rows a filter passes (for the message when none are left). */
    private ShardedData load(RowSource source, String name, BadRowPolicy policy, boolean filtered, int partitions,
                             boolean unitInterval, boolean statistics) {
        BadRows bad = new BadRows(spark.sparkContext(), policy, unitInterval, name);
        JavaRDD<RowBlock> checked = source.blocks(partitions, bad).persist(StorageLevel.MEMORY_AND_DISK());
        checked.setName("data " + name);
        spark.sparkContext().setJobDescription("load " + name);
        List<Tuple2<Integer, PartitionSummary>> parts = checked.mapPartitionsWithIndex((idx, it) -> {
            PartitionSummary s = new PartitionSummary();
            while (it.hasNext()) {
                s.add(it.next(), statistics, name);
            }
            return List.of(new Tuple2<>(idx, s)).iterator();
        }, true).collect();
        long[] sizes = new long[checked.getNumPartitions()];
        int dim = -1;
        long fingerprint = 0;
        List<ColumnStats> stats = new ArrayList<>();
        for (Tuple2<Integer, PartitionSummary> p : parts) {
            PartitionSummary s = p._2();
            sizes[p._1()] = s.rows;
            fingerprint += s.hash;
            if (s.dim >= 0) {
                if (dim >= 0 && dim != s.dim) {
                    throw new DataException(name + ": rows of " + dim + " and of " + s.dim + " values");
                }
                dim = s.dim;
                if (s.stats != null) {
                    stats.add(s.stats);
                }
            }
        }
        bad.logSummary();
        if (dim < 0) {
            checked.unpersist(false);
            throw new DataException(name + ": no rows" + (bad.skippedCount() > 0 ? " left after skipping "
                    + bad.skippedCount() + " malformed ones" : filtered ? " pass the filter" : ""));
        }
        if (!source.featureNames().isEmpty()) {
            LOG.info("{}: {} features from {}", name, dim, source.featureNames().size() == 1
                    ? "column " + source.featureNames().get(0) : "columns " + source.featureNames());
        }
        return new ShardedData(name, checked, sizes, dim, source.featureNames(),
                fingerprint, bad.skippedCount(), bad.examples(), bad.imputedCount(),
                statistics ? Optional.of(ColumnStats.mergeAll(stats)) : Optional.empty());
    }

    /** What the counting pass learns of one partition: rows, width, the rows' hash sum, column statistics. */
    private static final class PartitionSummary implements java.io.Serializable {
        long rows;
        int dim = -1;
        long hash;
        ColumnStats stats;

        void add(RowBlock b, boolean statistics, String source) {
            if (dim >= 0 && dim != b.dim()) {
                throw new DataException(source + ": rows of " + dim + " and of " + b.dim() + " values");
            }
            dim = b.dim();
            rows += b.rows();
            hash += b.rowHashSum();
            if (statistics) {
                if (stats == null) {
                    stats = new ColumnStats(dim);
                }
                stats.add(b);
            }
        }
    }
}
