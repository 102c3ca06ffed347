package com.sparkvae.job.data;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;

/**
 * Hadoop's TextInputFormat over exactly the files a reader listed ({@link InputFiles#dataFiles}), in their order,
 * split as TextInputFormat splits each: one RDD over several files, whose partitions are the files' splits in the
 * order a union of one RDD per file has them. Not FileInputFormat's own listing, which would take the paths as glob
 * patterns and drop the files it calls hidden. Public, as Hadoop creates it by reflection.
 */
public final class ListedTextFiles extends TextInputFormat {
    private static final String FILES = "spark-vae.listed-text-files";

    /** A copy of {@code base} that names {@code files}, for Spark's {@code newAPIHadoopRDD} with this format. */
    static Configuration naming(Configuration base, List<Path> files) {
        Configuration conf = new Configuration(base);
        conf.set(FILES, files.stream().map(p -> p.toUri().toString()).collect(Collectors.joining("\n")));
        return conf;
    }

    @Override
    protected List<FileStatus> listStatus(JobContext job) throws IOException {
        Configuration conf = job.getConfiguration();
        List<FileStatus> out = new ArrayList<>();
        for (String uri : conf.get(FILES).split("\n")) {
            Path file = new Path(URI.create(uri));
            FileStatus status = file.getFileSystem(conf).getFileStatus(file);
            status.setPath(file);   // the name as listed, which the rows' messages give
            out.add(status);
        }
        return out;
    }
}
