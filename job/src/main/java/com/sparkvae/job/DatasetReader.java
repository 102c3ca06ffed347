package com.sparkvae.job;

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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Reads a data set through Spark into {@code partitions} shards of packed {@link RowBlock}s, checks every value
 * (finite; within [0, 1] for a Bernoulli likelihood), persists it, and counts each shard once.
 */
public final class DatasetReader {
    private final SparkSession spark;
    private final String format;
    private final String csvHeader;

    public DatasetReader(SparkSession spark, String format, String csvHeader) {
        this.spark = spark;
        this.format = format;
        this.csvHeader = csvHeader;
    }

    /** The format named by the option, or guessed from the file name when it is {@code auto}. */
    static String resolveFormat(String option, String uri) {
        if (!option.equals("auto")) {
            return option;
        }
        String name = uri.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".parquet")) {
            return "parquet";
        }
        if (name.endsWith(".csv") || name.endsWith(".txt")) {
            return "csv";
        }
        if (name.endsWith(".idx") || name.matches(".*-idx\\d-ubyte$") || name.endsWith("-ubyte")) {
            return "idx";
        }
        throw new ConfigException("format: cannot tell the format of '" + uri
                + "' from its name; set --format idx, csv or parquet");
    }

    public Dataset read(String uri, int partitions, Likelihood likelihood) {
        try {
            return load(uri, partitions, likelihood);
        } catch (Exception e) { // Spark's SparkException is checked, though Scala throws it undeclared
            TaskFailures.rethrowJobException(e);
            throw e instanceof RuntimeException r ? r : new IllegalStateException("reading " + uri + " failed", e);
        }
    }

    private Dataset load(String uri, int partitions, Likelihood likelihood) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        checkExists(uri, hadoop);
        String fmt = resolveFormat(format, uri);
        JavaRDD<RowBlock> blocks = switch (fmt) {
            case "idx" -> readIdx(uri, partitions, hadoop);
            case "csv" -> pack(readCsv(uri), partitions, uri);
            case "parquet" -> pack(readParquet(uri), partitions, uri);
            default -> throw new IllegalStateException("unreachable format " + fmt);
        };
        boolean unitInterval = likelihood instanceof Likelihood.Bernoulli;
        JavaRDD<RowBlock> checked = blocks.map(b -> RowChecks.check(b, uri, unitInterval))
                .persist(StorageLevel.MEMORY_AND_DISK());
        checked.setName("data " + uri);
        spark.sparkContext().setJobDescription("load " + uri);
        List<Tuple2<Integer, long[]>> stats = checked.mapPartitionsWithIndex((idx, it) -> {
            long rows = 0;
            long dim = -1;
            long hash = 0;
            while (it.hasNext()) {
                RowBlock b = it.next();
                rows += b.rows();
                hash += RowChecks.rowHashSum(b);
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
        if (dim < 0) {
            throw new DataException(uri + ": no rows");
        }
        return new Dataset(uri, checked, sizes, (int) dim, fingerprint);
    }

    private static void checkExists(String uri, Configuration conf) {
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new DataException(uri + ": no such file or directory");
            }
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private JavaRDD<RowBlock> readIdx(String uri, int partitions, Configuration conf) {
        IdxHeader header;
        try {
            header = IdxHeader.read(uri, conf);
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (header.examples() == 0) {
            throw new DataException(uri + ": the IDX header announces 0 examples");
        }
        HadoopConf shipped = new HadoopConf(conf);
        if (partitions == 0) {
            partitions = spark.sparkContext().defaultParallelism();
        }
        List<long[]> ranges = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ranges.add(new long[] {header.examples() * p / partitions, header.examples() * (p + 1) / partitions});
        }
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ranges, partitions)
                .flatMap(r -> IdxPartitionReader.read(header, shipped, r[0], r[1]).iterator());
    }

    private JavaRDD<float[]> readCsv(String uri) {
        boolean header = switch (csvHeader) {
            case "true" -> true;
            case "false" -> false;
            default -> firstLineIsHeader(uri);
        };
        org.apache.spark.sql.Dataset<Row> df = spark.read().option("header", header).option("inferSchema", false)
                .option("mode", "PERMISSIVE").csv(uri);
        int width = df.columns().length;
        return df.javaRDD().map(row -> {
            float[] v = new float[width];
            if (row.length() != width) {
                throw new DataException(uri + ": a row has " + row.length() + " fields, expected " + width);
            }
            for (int j = 0; j < width; j++) {
                String s = row.getString(j);
                try {
                    v[j] = Float.parseFloat(s == null ? "" : s.trim());
                } catch (NumberFormatException e) {
                    throw new DataException(uri + ": column " + (j + 1) + " holds '" + s + "' where a number was expected"
                            + " (row " + row.mkString(",") + ")");
                }
            }
            return v;
        });
    }

    private boolean firstLineIsHeader(String uri) {
        List<String> first = spark.read().textFile(uri).limit(1).collectAsList();
        if (first.isEmpty()) {
            return false;
        }
        for (String field : first.get(0).split(",")) {
            try {
                Double.parseDouble(field.trim());
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return false;
    }

    private JavaRDD<float[]> readParquet(String uri) {
        org.apache.spark.sql.Dataset<Row> df = spark.read().parquet(uri);
        StructField[] fields = df.schema().fields();
        if (fields.length == 1 && isVectorLike(fields[0].dataType())) {
            boolean isArray = fields[0].dataType() instanceof ArrayType;
            String column = fields[0].name();
            return df.javaRDD().map(row -> {
                if (row.isNullAt(0)) {
                    throw new DataException(uri + ": column '" + column + "' is null in a row");
                }
                if (isArray) {
                    List<Object> list = row.getList(0);
                    float[] v = new float[list.size()];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = ((Number) list.get(j)).floatValue();
                    }
                    return v;
                }
                double[] d = vectorValues(row.get(0));
                float[] v = new float[d.length];
                for (int j = 0; j < d.length; j++) {
                    v[j] = (float) d[j];
                }
                return v;
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
        return df.javaRDD().map(row -> {
            float[] v = new float[width];
            for (int j = 0; j < width; j++) {
                if (row.isNullAt(j)) {
                    throw new DataException(uri + ": column '" + fields[j].name() + "' is null in a row");
                }
                v[j] = ((Number) row.get(j)).floatValue();
            }
            return v;
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
