package com.sparkvae.job.data;

import com.sparkvae.job.CsvHeader;
import com.sparkvae.job.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * CSV files of numeric columns, read split by split with Hadoop's TextInputFormat so that every row keeps its file
 * and byte offset for error messages. Fields are split on commas; surrounding quotes and spaces are ignored.
 */
final class CsvSource implements RowSource {
    private final JavaSparkContext jsc;
    private final List<Path> files;
    private final boolean header;
    private final int width;
    private final String uri;

    private CsvSource(JavaSparkContext jsc, List<Path> files, boolean header, int width, String uri) {
        this.jsc = jsc;
        this.files = files;
        this.header = header;
        this.width = width;
        this.uri = uri;
    }

    /** Lists the files and reads the first line on the driver: its width, and whether it is a header. */
    static CsvSource open(JavaSparkContext jsc, String uri, CsvHeader csvHeader) {
        Configuration conf = jsc.hadoopConfiguration();
        List<Path> files = InputFiles.dataFiles(uri, conf);
        String firstLine = firstLine(files.get(0), conf);
        boolean header = switch (csvHeader) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> !firstLine.isEmpty() && !isNumericLine(firstLine);
        };
        int width = firstLine.isEmpty() ? 0 : firstLine.split(",", -1).length;
        return new CsvSource(jsc, files, header, width, uri);
    }

    @Override
    public List<String> featureNames() {
        return List.of();
    }

    @Override
    public JavaRDD<RowBlock> blocks(int partitions, BadRows bad) {
        boolean skipHeader = header;
        int columns = width;
        // One RDD over all the files, not a union of one per file: the same partitions in the same order, and a
        // barrier stage (--rounds stage) accepts the shards when they are these partitions, which it refuses
        // through a union.
        JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopRDD(
                ListedTextFiles.naming(jsc.hadoopConfiguration(), files), ListedTextFiles.class, LongWritable.class,
                Text.class);
        JavaRDD<float[]> all = lines.mapPartitionsWithInputSplit((split, records) -> {
            String name = ((FileSplit) split).getPath().toString();
            Iterable<Tuple2<LongWritable, Text>> each = () -> records;
            return StreamSupport.stream(each.spliterator(), false).flatMap(t -> parseLine(name, t._1().get(),
                    t._2().toString(), skipHeader, columns, bad).stream()).iterator();
        }, true);
        return Packing.pack(all, partitions, uri);
    }

    private static List<float[]> parseLine(String file, long offset, String line, boolean header, int width,
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
            if (f.isEmpty()) {
                if (!bad.missing(where, "column " + (j + 1))) {
                    return List.of();
                }
                v[j] = Float.NaN;
                continue;
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

    private static String firstLine(Path file, Configuration conf) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            InputStream in = fs.open(file);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
            if (codec != null) {
                in = codec.createInputStream(in);
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
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
}
