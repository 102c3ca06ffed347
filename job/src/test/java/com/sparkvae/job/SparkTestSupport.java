package com.sparkvae.job;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * Small real data sets, a real HDFS, and the facts of the build (the Spark line under test, its runtime's class
 * path), shared by the job's tests. The local Spark session is {@link LocalSpark}'s.
 */
public final class SparkTestSupport {
    /** The bundled Fashion-MNIST training images, relative to the job module. */
    static final Path FASHION_TRAIN = Path.of("../data/fashion-mnist/train-images-idx3-ubyte.gz");

    private SparkTestSupport() {
    }

    /**
     * The OpenBLAS kernels that submit.sh names for a local run on this machine ({@code conf/openblas-env.sh}; empty
     * when it names none). The cluster tests give them to their executors, as README tells users to: kernels differ
     * in the last bits, and the tests compare a cluster's parameters with a local run's bit for bit.
     */
    public static String openBlasCoreType() throws IOException, InterruptedException {
        return openBlasCoreType(null, System.getenv("OPENBLAS_CORETYPE"));
    }

    /**
     * What {@code conf/openblas-env.sh} sets {@code OPENBLAS_CORETYPE} to, run by bash, on a machine with the CPUs
     * of {@code cpuinfo} (null: this one's) and with {@code preset} already set (null: nothing set).
     */
    static String openBlasCoreType(Path cpuinfo, String preset) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; source ../conf/openblas-env.sh; printf %s \"${OPENBLAS_CORETYPE:-}\"");
        pb.environment().remove("OPENBLAS_CORETYPE");
        if (preset != null) {
            pb.environment().put("OPENBLAS_CORETYPE", preset);
        }
        if (cpuinfo != null) {
            pb.environment().put("SPARK_VAE_CPUINFO", cpuinfo.toString());
        }
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("bash failed: " + out);
        }
        return out;
    }

    /**
     * A real HDFS of one NameNode and one DataNode in this JVM, keeping its blocks under {@code base}, from a
     * configuration of its own (MiniDFSCluster adds test-only settings to the one it is given).
     */
    public static MiniDFSCluster startHdfs(Path base) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        return cluster;
    }

    /** The URI of {@code cluster}'s NameNode, on loopback. */
    public static String hdfsUri(MiniDFSCluster cluster) {
        return "hdfs://localhost:" + cluster.getNameNodePort();
    }

    /** The Spark version the build runs the tests on (the line's spark.version). */
    public static String sparkVersion() {
        return buildProperty("sparkvae.spark.version");
    }

    /** The Scala binary version of the line under test (2.12, 2.13). */
    public static String scalaBinaryVersion() {
        return buildProperty("sparkvae.scala.binary.version");
    }

    /** The line under test as the build names its artifacts (3.5_2.12, 4.2_2.13). */
    public static String sparkLine() {
        return buildProperty("sparkvae.spark.line");
    }

    /** The class path of the line's Spark runtime, as spark-runtime/ writes it for submit.sh. */
    public static Path sparkClasspathFile() {
        return Path.of("..", "spark-runtime", "target", sparkLine(), "spark-classpath.txt");
    }

    private static String buildProperty(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isEmpty() || value.startsWith("${")) {
            throw new IllegalStateException(key + " is not set: run the tests through Maven (the pom sets it)");
        }
        return value;
    }

    /**
     * Writes the first {@code rows} images of Fashion-MNIST's training set to {@code target} as an IDX file,
     * gzipped when the name ends in .gz.
     */
    public static Path fashionSubset(Path target, int rows) throws IOException {
        byte[] pixels = new byte[rows * 784];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(FASHION_TRAIN))) {
            in.readNBytes(16);
            if (in.readNBytes(pixels, 0, pixels.length) != pixels.length) {
                throw new IOException("Fashion-MNIST has fewer than " + rows + " images");
            }
        }
        writeIdx(target, rows, new int[] {28, 28}, pixels);
        return target;
    }

    static void writeIdx(Path target, int rows, int[] dims, byte[] pixels) throws IOException {
        OutputStream raw = Files.newOutputStream(target);
        if (target.toString().endsWith(".gz")) {
            raw = new GZIPOutputStream(raw);
        }
        try (DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(0x00000800 | (1 + dims.length));
            out.writeInt(rows);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(pixels);
        }
    }

    /** A file read as train reads --input (format from its name, bad rows failing), over {@code partitions}. */
    public static com.sparkvae.job.data.ShardedData readFile(org.apache.spark.sql.SparkSession spark, String uri,
                                                              int partitions, com.sparkvae.model.Likelihood lik) {
        return new com.sparkvae.job.data.DataReader(spark).read(InputSpec.ofUri(uri, InputFormat.AUTO), partitions,
                lik instanceof com.sparkvae.model.Likelihood.Bernoulli, false);
    }
}
