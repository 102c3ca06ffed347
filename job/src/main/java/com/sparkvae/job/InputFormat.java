package com.sparkvae.job;

import java.util.Locale;

/**
 * The format of an input given by URI: {@code auto} (told from the file name), the job's own readers {@code idx}
 * and {@code csv}, or the name of any Spark data source ({@code parquet}, {@code orc}, {@code json}, {@code avro},
 * {@code delta}, {@code iceberg}, or a class name), read through {@code spark.read().format(name)}.
 */
public record InputFormat(String name) {
    public static final InputFormat AUTO = new InputFormat("auto");
    public static final InputFormat IDX = new InputFormat("idx");
    public static final InputFormat CSV = new InputFormat("csv");
    public static final InputFormat PARQUET = new InputFormat("parquet");

    public InputFormat {
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("must be auto, idx, csv, or the name of a Spark data source "
                    + "(parquet, orc, json, avro, delta, iceberg, ...)");
        }
        if (!name.contains(".")) {
            name = name.toLowerCase(Locale.ROOT);   // Spark's short names are case-insensitive; class names are not
        }
    }

    /** Whether Spark's data source API reads it (everything but the job's own IDX and CSV readers). */
    public boolean isSparkSource() {
        return !equals(IDX) && !equals(CSV) && !equals(AUTO);
    }

    /**
     * The format named by the option, or guessed from the file name when it is {@code auto}: {@code .idx} or
     * {@code -ubyte} (gzipped or not) is IDX, {@code .csv}/{@code .txt} (gzipped or not) the job's CSV reader,
     * and {@code .parquet}, {@code .orc}, {@code .json}, {@code .avro} those Spark sources.
     */
    public InputFormat resolve(String uri) {
        if (!equals(AUTO)) {
            return this;
        }
        String file = uri.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (file.endsWith(".gz")) {
            file = file.substring(0, file.length() - 3);
        }
        if (file.endsWith(".csv") || file.endsWith(".txt")) {
            return CSV;
        }
        if (file.endsWith(".idx") || file.matches(".*-idx\\d-ubyte$") || file.endsWith("-ubyte")) {
            return IDX;
        }
        for (String source : new String[] {"parquet", "orc", "json", "avro"}) {
            if (file.endsWith("." + source)) {
                return new InputFormat(source);
            }
        }
        throw new ConfigException("format: cannot tell the format of '" + uri + "' from its name; set --format "
                + "idx, csv, or a Spark data source such as parquet, orc, json or delta");
    }

    @Override
    public String toString() {
        return name;
    }
}
