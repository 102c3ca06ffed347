package com.sparkvae.job.data;

import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.CsvHeader;
import com.sparkvae.job.DataException;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.TaskFailures;
import com.sparkvae.model.Likelihood;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Reads a data set through Spark into {@code partitions} shards of packed {@link RowBlock}s, checks every value
 * (finite; within [0, 1] for a Bernoulli likelihood), persists it, and counts each shard once.
 */
public final class DataReader {
    private static final Logger LOG = LoggerFactory.getLogger(DataReader.class);
    private final SparkSession spark;
    private final InputFormat format;
    private final CsvHeader csvHeader;
    private final BadRowPolicy badRows;

    /** A reader that fails on the first malformed row. */
    public DataReader(SparkSession spark, InputFormat format, CsvHeader csvHeader) {
        this(spark, format, csvHeader, BadRowPolicy.FAIL);
    }

    public DataReader(SparkSession spark, InputFormat format, CsvHeader csvHeader, BadRowPolicy badRows) {
        this.spark = spark;
        this.format = format;
        this.csvHeader = csvHeader;
        this.badRows = badRows;
    }

    /** The format named by the option, or guessed from the file name when it is {@code auto}. */
    public static InputFormat resolveFormat(InputFormat option, String uri) {
        if (option != InputFormat.AUTO) {
            return option;
        }
        String name = uri.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".parquet")) {
            return InputFormat.PARQUET;
        }
        if (name.endsWith(".csv") || name.endsWith(".txt")) {
            return InputFormat.CSV;
        }
        if (name.endsWith(".idx") || name.matches(".*-idx\\d-ubyte$") || name.endsWith("-ubyte")) {
            return InputFormat.IDX;
        }
        throw new ConfigException("format: cannot tell the format of '" + uri
                + "' from its name; set --format idx, csv or parquet");
    }

    public ShardedData read(String uri, int partitions, Likelihood likelihood) {
        try {
            return load(uri, partitions, likelihood);
        } catch (Exception e) { // Spark's SparkException is checked, though Scala throws it undeclared
            TaskFailures.rethrowJobException(e);
            throw e instanceof RuntimeException r ? r : new IllegalStateException("reading " + uri + " failed", e);
        }
    }

    private ShardedData load(String uri, int partitions, Likelihood likelihood) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        FileStatus[] matches = matches(uri, hadoop);
        InputFormat fmt = resolveFormat(format, uri);
        BadRows bad = new BadRows(spark.sparkContext(), badRows, likelihood instanceof Likelihood.Bernoulli, uri);
        JavaRDD<RowBlock> blocks = switch (fmt) {
            case IDX -> readIdx(uri, partitions, hadoop, bad);
            case CSV -> pack(readCsv(dataFiles(uri, matches, hadoop), hadoop, bad), partitions, uri);
            case PARQUET -> {
                dataFiles(uri, matches, hadoop);   // fails early, with a clear message, on an input with no data files
                yield pack(readParquet(uri, bad), partitions, uri);
            }
            case AUTO -> throw new IllegalStateException("resolveFormat returned auto for " + uri);
        };
        JavaRDD<RowBlock> checked = blocks.persist(StorageLevel.MEMORY_AND_DISK());
        checked.setName("data " + uri);
        spark.sparkContext().setJobDescription("load " + uri);
        List<Tuple2<Integer, long[]>> stats = checked.mapPartitionsWithIndex((idx, it) -> {
            long rows = 0;
            long dim = -1;
            long hash = 0;
            while (it.hasNext()) {
                RowBlock b = it.next();
                rows += b.rows();
                hash += b.rowHashSum();
                if (dim >= 0 && dim != b.dim()) {
                    throw new DataException(uri + ": rows of " + dim + " and of " + b.dim() + " values");
                }
                dim = b.dim();
            }
            return List.of(new Tuple2<>(idx, new long[] {rows, dim, hash})).iterator();
        }, true).collect();
        long[] sizes = new long[checked.getNumPartitions()];
        long dim = -1;
        long fingerprint = 0;
        for (Tuple2<Integer, long[]> s : stats) {
            sizes[s._1()] = s._2()[0];
            fingerprint += s._2()[2];
            if (s._2()[1] >= 0) {
                if (dim >= 0 && dim != s._2()[1]) {
                    throw new DataException(uri + ": rows of " + dim + " and of " + s._2()[1] + " values");
                }
                dim = s._2()[1];
            }
        }
        if (bad.skippedCount() > 0) {
            LOG.warn("{}: skipped {} malformed rows (--bad-rows skip); first ones: {}", uri, bad.skippedCount(),
                    bad.examples());
        }
        if (dim < 0) {
            throw new DataException(uri + ": no rows" + (bad.skippedCount() > 0 ? " left after skipping "
                    + bad.skippedCount() + " malformed ones" : ""));
        }
        return new ShardedData(uri, checked, sizes, (int) dim, fingerprint, bad.skippedCount(), bad.examples());
    }

    /** What the URI (a path or a glob) names: at least one file or directory, else a {@link DataException}. */
    private static FileStatus[] matches(String uri, Configuration conf) {
        try {
            Path path = new Path(uri);
            FileStatus[] matches = path.getFileSystem(conf).globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new DataException(uri + ": no such file or directory");
            }
            return matches;
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private JavaRDD<RowBlock> readIdx(String uri, int partitions, Configuration conf, BadRows bad) {
        IdxHeader header;
        try {
            header = IdxHeader.read(uri, conf);
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (header.examples() == 0) {
            throw new DataException(uri + ": the IDX header announces 0 examples");
        }
        // Broadcast once: the cached shards keep this read in their lineage, and every task of every training round
        // deserialises its lineage; a Hadoop Configuration inside the closure itself would be deserialised every round.
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<HadoopConf> shipped = jsc.broadcast(new HadoopConf(conf));
        if (partitions == 0) {
            partitions = spark.sparkContext().defaultParallelism();
        }
        List<long[]> ranges = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ranges.add(new long[] {header.examples() * p / partitions, header.examples() * (p + 1) / partitions});
        }
        return jsc.parallelize(ranges, partitions)
                .flatMap(r -> IdxPartitionReader.read(header, shipped.value(), r[0], r[1], bad).iterator());
    }

    /**
     * CSV of numeric columns, read file by file with Hadoop's TextInputFormat so that every row keeps its file and
     * byte offset for error messages. Fields are split on commas; surrounding quotes and spaces are ignored.
     */
    private JavaRDD<float[]> readCsv(List<Path> files, Configuration conf, BadRows bad) {
        String firstLine = firstLine(files.get(0), conf);
        boolean header = switch (csvHeader) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> !firstLine.isEmpty() && !isNumericLine(firstLine);
        };
        int width = firstLine.isEmpty() ? 0 : firstLine.split(",", -1).length;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<float[]> all = null;
        for (Path file : files) {
            String name = file.toString();
            JavaRDD<float[]> rows = jsc.newAPIHadoopFile(name, TextInputFormat.class, LongWritable.class, Text.class,
                    conf).flatMap(t -> parseCsvLine(name, t._1().get(), t._2().toString(), header, width, bad).iterator());
            all = all == null ? rows : all.union(rows);
        }
        return all;
    }

    private static List<float[]> parseCsvLine(String file, long offset, String line, boolean header, int width,
                                              BadRows bad) {
        if ((header && offset == 0) || line.isBlank()) {
            return List.of();
        }
        String where = file + ": byte offset " + offset;
        String[] fields = line.split(",", -1);
        if (fields.length != width) {
            bad.reject(where, "a row of " + fields.length + " fields where the file's first row has " + width);
            return List.of();
        }
        float[] v = new float[width];
        for (int j = 0; j < width; j++) {
            String f = fields[j].trim();
            if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
                f = f.substring(1, f.length() - 1).trim();
            }
            try {
                v[j] = Float.parseFloat(f);
            } catch (NumberFormatException e) {
                bad.reject(where, "column " + (j + 1) + " holds '" + fields[j] + "' where a number was expected");
                return List.of();
            }
        }
        return bad.accept(v, where) ? List.of(v) : List.of();
    }

    private static boolean isNumericLine(String line) {
        for (String field : line.split(",", -1)) {
            try {
                Double.parseDouble(field.trim().replace("\"", ""));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The data files among a URI's {@link #matches}: the matched files, and each matched directory's visible
     * non-empty files.
     */
    private static List<Path> dataFiles(String uri, FileStatus[] matches, Configuration conf) {
        try {
            List<Path> out = new ArrayList<>();
            for (FileStatus match : matches) {
                if (match.isDirectory()) {
                    FileSystem fs = match.getPath().getFileSystem(conf);
                    for (FileStatus f : fs.listStatus(match.getPath())) {
                        String n = f.getPath().getName();
                        if (f.isFile() && f.getLen() > 0 && !n.startsWith("_") && !n.startsWith(".")) {
                            out.add(f.getPath());
                        }
                    }
                } else if (match.getLen() > 0) {
                    out.add(match.getPath());
                }
            }
            if (out.isEmpty()) {
                throw new DataException(uri + ": no data files (only empty, hidden or marker files)");
            }
            out.sort(java.util.Comparator.comparing(Path::toString));
            return out;
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be listed (" + e.getMessage() + ")", e);
        }
    }

    private static String firstLine(Path file, Configuration conf) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            java.io.InputStream in = fs.open(file);
            org.apache.hadoop.io.compress.CompressionCodec codec =
                    new org.apache.hadoop.io.compress.CompressionCodecFactory(conf).getCodec(file);
            if (codec != null) {
                in = codec.createInputStream(in);
            }
            try (java.io.BufferedReader r = new java.io.BufferedReader(
                    new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        return line;
                    }
                }
                return "";
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private JavaRDD<float[]> readParquet(String uri, BadRows bad) {
        org.apache.spark.sql.Dataset<Row> df = spark.read().parquet(uri);
        StructField[] fields = df.schema().fields();
        if (fields.length == 1 && isVectorLike(fields[0].dataType())) {
            boolean isArray = fields[0].dataType() instanceof ArrayType;
            String column = fields[0].name();
            return df.javaRDD().flatMap(row -> {
                if (row.isNullAt(0)) {
                    bad.reject(uri, "column '" + column + "' is null in a row");
                    return List.<float[]>of().iterator();
                }
                if (isArray) {
                    List<Object> list = row.getList(0);
                    float[] v = new float[list.size()];
                    for (int j = 0; j < v.length; j++) {
                        if (list.get(j) == null) {
                            bad.reject(uri, "column '" + column + "' holds a null element");
                            return List.<float[]>of().iterator();
                        }
                        v[j] = ((Number) list.get(j)).floatValue();
                    }
                    return (bad.accept(v, uri) ? List.of(v) : List.<float[]>of()).iterator();
                }
                double[] d = vectorValues(row.get(0));
                float[] v = new float[d.length];
                for (int j = 0; j < d.length; j++) {
                    v[j] = (float) d[j];
                }
                return (bad.accept(v, uri) ? List.of(v) : List.<float[]>of()).iterator();
            });
        }
        List<String> nonNumeric = new ArrayList<>();
        for (StructField f : fields) {
            if (!(f.dataType() instanceof NumericType)) {
                nonNumeric.add(f.name() + " (" + f.dataType().simpleString() + ")");
            }
        }
        if (!nonNumeric.isEmpty() || fields.length == 0) {
            throw new DataException(uri + ": expected numeric columns, or a single array or vector column; found "
                    + (fields.length == 0 ? "no columns" : "non-numeric columns " + nonNumeric));
        }
        int width = fields.length;
        return df.javaRDD().flatMap(row -> {
            float[] v = new float[width];
            for (int j = 0; j < width; j++) {
                if (row.isNullAt(j)) {
                    bad.reject(uri, "column '" + fields[j].name() + "' is null in a row");
                    return List.<float[]>of().iterator();
                }
                v[j] = ((Number) row.get(j)).floatValue();
            }
            return (bad.accept(v, uri) ? List.of(v) : List.<float[]>of()).iterator();
        });
    }

    /**
     * The values of a Spark ML vector (dense or sparse), read through its public {@code toArray()} so that the job
     * does not depend on spark-mllib.
     */
    private static double[] vectorValues(Object vector) {
        try {
            return (double[]) vector.getClass().getMethod("toArray").invoke(vector);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a " + vector.getClass().getName() + " as a vector", e);
        }
    }

    private static boolean isVectorLike(DataType type) {
        if (type instanceof ArrayType array) {
            return array.elementType() instanceof NumericType;
        }
        return type.typeName().equals("vector");
    }

    /** Spreads rows over {@code partitions} shards and packs each shard's rows into blocks. */
    private static JavaRDD<RowBlock> pack(JavaRDD<float[]> rows, int partitions, String uri) {
        // partitions == 0 keeps the input's own partitions, and with them the input's row order.
        JavaRDD<float[]> spread = partitions == 0 || rows.getNumPartitions() == partitions ? rows
                : rows.repartition(partitions);
        return spread.mapPartitions((Iterator<float[]> it) -> {
            List<RowBlock> out = new ArrayList<>();
            List<float[]> pending = new ArrayList<>();
            int dim = -1;
            int perBlock = 0;
            while (it.hasNext()) {
                float[] row = it.next();
                if (dim < 0) {
                    dim = row.length;
                    perBlock = RowBlock.rowsPerBlock(dim);
                } else if (row.length != dim) {
                    throw new DataException(uri + ": a row has " + row.length + " values, others have " + dim);
                }
                pending.add(row);
                if (pending.size() == perBlock) {
                    out.add(concat(pending, dim));
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                out.add(concat(pending, dim));
            }
            return out.iterator();
        });
    }

    private static RowBlock concat(List<float[]> rows, int dim) {
        float[] v = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, v, i * dim, dim);
        }
        return new RowBlock(v, rows.size(), dim);
    }
}
