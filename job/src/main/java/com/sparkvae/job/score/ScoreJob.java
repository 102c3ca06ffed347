package com.sparkvae.job.score;

import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.InputSpec;
import com.sparkvae.job.ScaleKind;
import com.sparkvae.job.ScoreConfig;
import com.sparkvae.job.TaskFailures;
import com.sparkvae.job.WriteMode;
import com.sparkvae.job.cluster.SharedStorage;
import com.sparkvae.job.data.BadRows;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.FeatureColumns;
import com.sparkvae.job.data.RowBlock;
import com.sparkvae.job.data.RowReader;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.data.SparkSource;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.ModelLocation;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.model.AnomalyScore;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.FeatureTransform;
import com.sparkvae.model.Likelihood;
import com.sparkvae.model.RowScorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code score}: per row of the input, the negative ELBO, an importance-sampled estimate of −log p(x), the latent
 * mean m(x), the anomaly score of the chosen type (see {@link RowScorer}) and, for a model with an outlier
 * threshold, the outlier flag, beside the row's identity: the input's other columns for a table or Spark source
 * (streamed through once, in its own partitions), or {@code row_id}, the row's position, for IDX and CSV files.
 * Written as Parquet files or as a catalog table.
 */
public final class ScoreJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    static final List<StructField> SCORES = List.of(
            DataTypes.createStructField("neg_elbo", DataTypes.DoubleType, false),
            DataTypes.createStructField("neg_log_likelihood", DataTypes.DoubleType, false),
            DataTypes.createStructField("latent_mean", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("anomaly_score", DataTypes.DoubleType, false),
            DataTypes.createStructField("outlier", DataTypes.DoubleType, false));
    static final StructField ROW_ID = DataTypes.createStructField("row_id", DataTypes.LongType, false);

    private ScoreJob() {
    }

    /** Scores the input into the output; returns the rows scored (of IDX and CSV files; -1 for a streamed table). */
    public static long run(SparkSession spark, ScoreConfig cfg) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path modelFile = ModelLocation.resolve(cfg.model(), "model", hadoop);
        ModelStore.SavedModel model = ModelStore.load(modelFile, hadoop);
        requireOutputFree(spark, cfg, hadoop);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        InputSpec spec = cfg.source();
        spec.uri().ifPresent(u -> SharedStorage.requireVisibleToExecutors(jsc, "input", u));
        if (cfg.output().isPresent()) {
            SharedStorage.requireWritableByExecutors(jsc, "output", cfg.output().get(), hadoop);
        }
        ModelFeatures features = model.features();
        if (spec.badRows() == BadRowPolicy.IMPUTE && !features.transform().fillsMissing()) {
            throw new ConfigException("bad-rows: impute fills missing values with the training means, and "
                    + modelFile + " has none (it was trained without --bad-rows impute)");
        }
        if (spec.features().isEmpty() && !features.columns().isEmpty()) {
            spec = spec.withFeatures(features.columns());
        }
        boolean fromFiles = spec.uri().isPresent() && !spec.format().resolve(spec.uri().get()).isSparkSource();
        boolean unitInterval = model.architecture().likelihood() instanceof Likelihood.Bernoulli
                && features.scaling().equals(ScaleKind.NONE.key());
        TableScores.Outputs outputs = outputs(cfg, model, modelFile.toString());
        jsc.setJobDescription("spark-vae score " + spec.describe());
        LOG.info("scoring {} with {} ({} importance samples per row) into {}", spec.describe(), modelFile,
                cfg.samples(), cfg.describeOutput());
        try {
            long rows = fromFiles ? scoreFiles(spark, cfg, spec, model, unitInterval, outputs)
                    : scoreTable(spark, cfg, spec, model, unitInterval, outputs);
            LOG.info("scores written to {}", cfg.describeOutput());
            return rows;
        } catch (Exception e) {   // Spark's SparkException is checked, though Scala throws it undeclared
            TaskFailures.rethrowJobException(e);
            if (e instanceof AnalysisException a) {
                throw new ConfigException("output: cannot write " + cfg.describeOutput() + ": "
                        + SparkSource.firstLine(a));
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("scoring failed", e);
        }
    }

    /**
     * Every score, the anomaly score of {@code --score-type} (auto: the model's), and the outlier flag when the model
     * has a threshold, which holds for its own score type only.
     */
    static TableScores.Outputs outputs(ScoreConfig cfg, ModelStore.SavedModel model, String where) {
        AnomalyScore own = model.config().scoreType();
        AnomalyScore type = cfg.scoreType().orElse(own);
        if (type != own && model.threshold().isPresent()) {
            throw new ConfigException("score-type: " + where + " flags outliers by a threshold on its own score "
                    + "type, " + key(own) + ", not " + key(type) + "; leave --score-type out, or score with a model "
                    + "trained with --score-type " + key(type));
        }
        return TableScores.Outputs.all(type, model.threshold());
    }

    private static String key(AnomalyScore type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    /** A table or Spark source: streamed once, each output row its input's kept columns and its scores. */
    private static long scoreTable(SparkSession spark, ScoreConfig cfg, InputSpec spec, ModelStore.SavedModel model,
                                   boolean unitInterval, TableScores.Outputs outputs) {
        SparkSource source = SparkSource.open(spark, spec);
        FeatureColumns features = source.features();
        Architecture arch = model.architecture();
        if (!features.vector() && features.names().size() != arch.inputDim()) {
            throw new ConfigException("features: " + source.source() + " gives " + features.names().size()
                    + " feature columns but the model reads " + arch.inputDim());
        }
        Dataset<Row> rows = source.rows();
        List<String> kept = keptColumns(rows.schema(), cfg.keep(), features, source.source());
        List<StructField> scoreFields = outputs.select(SCORES);
        for (StructField score : scoreFields) {
            for (String k : kept) {
                if (k.equalsIgnoreCase(score.name())) {
                    throw new ConfigException("keep: Column " + k + " already exists in " + source.source()
                            + " and would clash with the scores; leave it out with --keep");
                }
            }
        }
        List<Column> read = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>(kept);
        columns.addAll(features.names());
        columns.addAll(features.identity());
        columns.forEach(c -> read.add(SparkSource.column(c)));
        Dataset<Row> selected = rows.select(read.toArray(Column[]::new));
        if (cfg.partitions() > 0) {
            selected = selected.repartition(cfg.partitions());
        }
        StructType in = selected.schema();
        int[] keptAt = kept.stream().mapToInt(in::fieldIndex).toArray();
        StructType out = new StructType(kept.stream().map(in::apply).toArray(StructField[]::new));
        for (StructField f : scoreFields) {
            out = out.add(f);
        }
        RowReader reader = features.readerFor(in, source.source());
        BadRows bad = new BadRows(spark.sparkContext(), spec.badRows(), unitInterval, source.source());
        Broadcast<float[]> params = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(model.parameters());
        FeatureTransform transform = model.features().transform();
        int samples = cfg.samples();
        long seed = cfg.seed();
        String name = source.source();
        try {
            JavaRDD<Row> scored = selected.javaRDD().mapPartitionsWithIndex((p, it) -> new TableScores(it, reader,
                    bad, keptAt, outputs, arch, params, transform, samples, seed, p, name), true);
            write(spark.createDataFrame(scored, out), cfg);
        } finally {
            params.destroy();
        }
        bad.logSummary();
        return -1;
    }

    /** IDX and CSV files: read into cached blocks and numbered across partitions, each row keeping its row id. */
    private static long scoreFiles(SparkSession spark, ScoreConfig cfg, InputSpec spec, ModelStore.SavedModel model,
                                   boolean unitInterval, TableScores.Outputs outputs) {
        if (cfg.keep().isPresent()) {
            throw new ConfigException("keep: " + spec.describe() + " has no columns to keep; its rows keep row_id");
        }
        Architecture arch = model.architecture();
        ShardedData data = new DataReader(spark).read(spec, cfg.partitions(), unitInterval, false);
        try {
            if (data.dim() != arch.inputDim()) {
                throw new DataException(data.source() + ": rows have " + data.dim() + " values but the model reads "
                        + arch.inputDim());
            }
            long[] offsets = new long[data.partitions()];
            for (int p = 1; p < offsets.length; p++) {
                offsets[p] = offsets[p - 1] + data.shardSizes()[p - 1];
            }
            Broadcast<float[]> params = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .broadcast(model.parameters());
            FeatureTransform transform = model.features().transform();
            int samples = cfg.samples();
            long seed = cfg.seed();
            try {
                JavaRDD<Row> rows = data.blocks().mapPartitionsWithIndex((p, it) -> scoreBlocks(it, arch, params,
                        transform, offsets[p], samples, seed, p, outputs), true);
                StructType schema = new StructType().add(ROW_ID);
                for (StructField f : outputs.select(SCORES)) {
                    schema = schema.add(f);
                }
                write(spark.createDataFrame(rows, schema), cfg);
            } finally {
                params.destroy();
            }
            return data.size();
        } finally {
            data.unpersist();
        }
    }

    private static Iterator<Row> scoreBlocks(Iterator<RowBlock> blocks, Architecture arch, Broadcast<float[]> params,
                                             FeatureTransform transform, long firstRowId, int samples, long seed,
                                             int partition, TableScores.Outputs outputs) {
        BatchScorer scorer = new BatchScorer(arch, params.value(), transform, samples, seed, partition);
        List<Row> out = new ArrayList<>();
        long[] rowId = {firstRowId};
        scorer.scoreAll(blocks, (s, i) -> {
            Object[] values = new Object[1 + outputs.count()];
            values[0] = rowId[0]++;
            outputs.write(s, i, values, 1);
            out.add(RowFactory.create(values));
        });
        return out.iterator();
    }

    /**
     * The columns written beside the scores: those {@code --keep} names (names or globs, matched like features),
     * or by default every column that is not a feature.
     */
    static List<String> keptColumns(StructType schema, java.util.Optional<List<String>> keep, FeatureColumns features,
                                    String source) {
        Set<String> featureNames = new java.util.HashSet<>();
        features.names().forEach(n -> featureNames.add(n.toLowerCase(Locale.ROOT)));
        if (keep.isEmpty()) {
            List<String> all = new ArrayList<>();
            for (StructField f : schema.fields()) {
                if (!featureNames.contains(f.name().toLowerCase(Locale.ROOT))) {
                    all.add(f.name());
                }
            }
            return all;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String pattern : keep.get()) {
            List<String> matched = FeatureColumns.matching(schema, pattern);
            if (matched.isEmpty()) {
                throw new ConfigException("keep: no column '" + pattern + "' in " + source + " ("
                        + String.join(", ", schema.fieldNames()) + ")");
            }
            out.addAll(matched);
        }
        return List.copyOf(out);
    }

    /** Refuses, before any reading, an output that exists under {@code --mode error}. */
    private static void requireOutputFree(SparkSession spark, ScoreConfig cfg, Configuration hadoop)
            throws IOException {
        if (cfg.mode() != WriteMode.ERROR) {
            return;
        }
        if (cfg.output().isPresent()) {
            org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(cfg.output().get());
            if (out.getFileSystem(hadoop).exists(out)) {
                throw new ConfigException("output: " + out + " exists; choose another --output, or --mode overwrite "
                        + "or append");
            }
        } else if (spark.catalog().tableExists(cfg.outputTable().get())) {
            throw new ConfigException("output-table: table " + cfg.outputTable().get() + " exists; choose another, "
                    + "or --mode overwrite or append");
        }
    }

    private static void write(Dataset<Row> scores, ScoreConfig cfg) {
        List<String> partitionBy = cfg.partitionBy();
        for (String c : partitionBy) {
            if (!java.util.Arrays.asList(scores.columns()).contains(c)) {
                throw new ConfigException("partition-by: '" + c + "' is not a column of the scores ("
                        + String.join(", ", scores.columns()) + ")");
            }
        }
        DataFrameWriter<Row> writer = scores.write().mode(switch (cfg.mode()) {
            case ERROR -> SaveMode.ErrorIfExists;
            case OVERWRITE -> SaveMode.Overwrite;
            case APPEND -> SaveMode.Append;
        });
        if (!partitionBy.isEmpty()) {
            writer = writer.partitionBy(partitionBy.toArray(String[]::new));
        }
        if (cfg.output().isPresent()) {
            writer.parquet(cfg.output().get());
        } else {
            writer.saveAsTable(cfg.outputTable().get());
        }
    }
}
