package com.sparkvae.job.cluster;

import com.sparkvae.job.ConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Checks, before training, that the executors can reach a {@code file:} path the driver names. With a local master
 * they are the driver; on a cluster they can when they run on the driver's host or share its disk (NFS), and not
 * otherwise, which they would only find out one failed task at a time. One small job asks every task slot.
 */
public final class SharedStorage {
    private SharedStorage() {
    }

    /** Refuses {@code uri} (an input the tasks read) with one line when some executor cannot see it. */
    public static void requireVisibleToExecutors(JavaSparkContext sc, String option, String uri) {
        if (!needsCheck(sc, uri) || !visibleHere(uri)) {
            return;   // nothing to check, or missing on the driver too, which the reader reports as such
        }
        List<String> blind = executorsMissing(sc, uri);
        if (!blind.isEmpty()) {
            throw new ConfigException(option + ": " + uri + " is on the driver's local disk, which the executors on "
                    + blind + " cannot read; put it on HDFS or another store every executor can read");
        }
    }

    /**
     * Refuses {@code uri} (an output the tasks write, such as score's Parquet files) when some executor does not
     * see the driver's disk there: it leaves a marker file beside the output and asks the executors for it.
     */
    public static void requireWritableByExecutors(JavaSparkContext sc, String option, String uri, Configuration conf)
            throws IOException {
        if (!needsCheck(sc, uri)) {
            return;
        }
        Path out = new Path(uri);
        Path marker = new Path(out.getParent(), "." + out.getName() + ".visible-" + System.nanoTime());
        FileSystem fs = marker.getFileSystem(conf);
        fs.create(marker, true).close();
        try {
            List<String> blind = executorsMissing(sc, marker.toString());
            if (!blind.isEmpty()) {
                throw new ConfigException(option + ": " + uri + " is on the driver's local disk, where the executors "
                        + "on " + blind + " would write their parts of it on their own disks; write it to HDFS or "
                        + "another store every executor can reach");
            }
        } finally {
            fs.delete(marker, false);
        }
    }

    private static boolean needsCheck(JavaSparkContext sc, String uri) {
        return !sc.master().startsWith("local") && "file".equals(new Path(uri).toUri().getScheme());
    }

    private static boolean visibleHere(String uri) {
        try {
            FileStatus[] found = FileSystem.getLocal(new Configuration()).globStatus(new Path(uri));
            return found != null && found.length > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The hosts of executors on which no file matches {@code uri}. */
    private static List<String> executorsMissing(JavaSparkContext sc, String uri) {
        int slots = Math.max(2, sc.defaultParallelism());
        List<Integer> probes = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            probes.add(i);
        }
        sc.setJobDescription("spark-vae: can the executors read " + uri + "?");
        List<String> answers = sc.parallelize(probes, slots).map(i -> {
            return visibleHere(uri) ? "" : SparkEnv.get().blockManager().blockManagerId().host();
        }).collect();
        return new ArrayList<>(new TreeSet<>(answers.stream().filter(h -> !h.isEmpty()).toList()));
    }
}
