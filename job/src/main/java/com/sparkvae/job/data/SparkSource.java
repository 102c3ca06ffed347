package com.sparkvae.job.data;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.InputSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A table of the session's catalog ({@code spark.table}) or files of any Spark data source
 * ({@code spark.read().format(...)}), filtered by the optional SQL condition as it is read (so a partitioned table
 * reads only the partitions the filter keeps), with its feature columns resolved against the schema. Every mistake
 * the driver can see (no such table or source, a filter that does not parse or apply, a missing or non-numeric
 * feature) fails in {@link #open}, before any task runs.
 */
public final class SparkSource implements RowSource {
    private final Dataset<Row> rows;
    private final FeatureColumns features;
    private final String source;

    private SparkSource(Dataset<Row> rows, FeatureColumns features, String source) {
        this.rows = rows;
        this.features = features;
        this.source = source;
    }

    public static SparkSource open(SparkSession spark, InputSpec spec) {
        String source = spec.describe();
        Dataset<Row> all = spec.table().isPresent() ? table(spark, spec) : files(spark, spec);
        Dataset<Row> kept = all;
        if (spec.where().isPresent()) {
            String condition = spec.where().get();
            String option = spec.option().equals("input") ? "where" : spec.option() + "-where";
            try {
                kept = all.where(condition);
            } catch (Exception e) {   // ParseException and AnalysisException, which Scala throws undeclared
                if (!(e instanceof AnalysisException)) {
                    throw unexpected(e);
                }
                throw new ConfigException(option + ": cannot filter " + spec.describe().replaceAll(" \\(where.*", "")
                        + " by '" + condition + "': " + firstLine(e));
            }
        }
        return new SparkSource(kept, FeatureColumns.resolve(all.schema(), spec.features(), source), source);
    }

    /**
     * The rows of a DataFrame a caller already holds (Spark ML's {@code fit} and {@code transform}), with the
     * features {@code patterns} name, resolved as for a table; {@code source} names it in messages.
     */
    public static SparkSource ofFrame(Dataset<Row> rows, Optional<List<String>> patterns, String source) {
        return new SparkSource(rows, FeatureColumns.resolve(rows.schema(), patterns, source), source);
    }

    private static Dataset<Row> table(SparkSession spark, InputSpec spec) {
        String name = spec.table().get();
        try {
            return spark.table(name);
        } catch (Exception e) {
            if (!(e instanceof AnalysisException)) {
                throw unexpected(e);
            }
            String catalog = spark.conf().get("spark.sql.catalogImplementation", "in-memory");
            throw new DataException(spec.option() + "-table: cannot read table '" + name + "': " + firstLine(e)
                    + (catalog.equals("hive") ? "" : " (this application's catalog is Spark's in-memory one: a "
                    + "Hive metastore needs Spark's Hive classes and its hive-site.xml)"));
        }
    }

    private static Dataset<Row> files(SparkSession spark, InputSpec spec) {
        String uri = spec.uri().get();
        InputFiles.matches(uri, spark.sparkContext().hadoopConfiguration());
        String format = spec.format().resolve(uri).name();
        try {
            return spark.read().format(format).options(spec.readOptions()).load(uri);
        } catch (Exception e) {
            String message = firstLine(e);
            if (message.contains("DATA_SOURCE_NOT_FOUND") || message.contains("Failed to find data source")
                    || e.getCause() instanceof ClassNotFoundException) {
                throw new ConfigException("format: no Spark data source '" + format + "' on the class path; add "
                        + "its package to the application (spark-submit --packages or --jars)");
            }
            if (message.contains("Unable to infer schema") || message.contains("UNABLE_TO_INFER_SCHEMA")) {
                throw new DataException(uri + ": no data files Spark can read as " + format + " (" + message + ")");
            }
            throw new DataException(uri + ": cannot be read as " + format + " (" + message + ")", e);
        }
    }

    private static RuntimeException unexpected(Exception e) {
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    /** A column reference that takes the name as it is (dots and all), not as a path into a struct. */
    public static Column column(String name) {
        return functions.col("`" + name.replace("`", "``") + "`");
    }

    /** The first line of an exception's message (Spark's analysis errors go on to print the plan). */
    public static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    @Override
    public List<String> featureNames() {
        return features.names();
    }

    public FeatureColumns features() {
        return features;
    }

    /** The filtered rows, every column of the source. */
    public Dataset<Row> rows() {
        return rows;
    }

    public String source() {
        return source;
    }

    @Override
    public JavaRDD<RowBlock> blocks(int partitions, BadRows bad) {
        List<Column> read = new ArrayList<>();
        features.names().forEach(n -> read.add(column(n)));
        features.identity().forEach(n -> read.add(column(n)));
        Dataset<Row> selected = rows.select(read.toArray(Column[]::new));
        RowReader reader = features.readerFor(selected.schema(), source);
        JavaRDD<float[]> values = selected.javaRDD().flatMap(row -> {
            float[] v = reader.read(row, bad);
            return (v == null ? List.<float[]>of() : List.of(v)).iterator();
        });
        return Packing.pack(values, partitions, source);
    }

    /** The source's column of this name, found case-insensitively as Spark's SQL resolves it. */
    public Optional<String> columnNamed(String name) {
        for (String c : rows.columns()) {
            if (c.equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
