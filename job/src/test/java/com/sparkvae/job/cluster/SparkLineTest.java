package com.sparkvae.job.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.CsvHeader;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.RowBlock;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.model.Likelihood;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The seam between the Spark lines, on the line under test (the build runs this suite once per line). */
public class SparkLineTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);

    @TempDir
    Path dir;

    @Test
    void theJarSaysTheLineItWasBuiltForAndRunsOnThatLinesSpark() {
        SparkLine.Versions built = SparkLine.builtFor();
        assertEquals(SparkTestSupport.sparkLine(), built.line());
        assertEquals(SparkTestSupport.sparkVersion(), built.spark());
        assertEquals(built, SparkLine.running(), "the tests run on the Spark and Scala the classes were built for");
        assertEquals(SPARK.session().version(), SparkLine.running().spark());
        assertTrue(SparkLine.scalaVersion().startsWith(SparkTestSupport.scalaBinaryVersion() + "."),
                SparkLine.scalaVersion());
        SparkLine.requireCompatible();
    }

    @Test
    void aBarrierStageRunsEveryPartitionAtOnceUnlessItsChainChangesPartitionCounts() {
        org.apache.spark.api.java.JavaSparkContext sc = SPARK.context();
        org.apache.spark.api.java.JavaRDD<Integer> one = sc.parallelize(List.of(1, 2, 3, 4), 2);
        assertEquals(java.util.Optional.empty(), SparkLine.barrierChainProblem(one.map(x -> x)));
        assertEquals(List.of(0, 1), SparkLine.runBarrierStage(one.map(x -> x), (p, rows) -> p, Integer.class));
        assertEquals(2, SparkLine.taskSlots(sc), "local[2]");

        // A cached union of two inputs of one partition each: Spark's check walks through the cache to the inputs,
        // and refuses the stage (of 2 tasks, which the 2 slots could run).
        org.apache.spark.api.java.JavaRDD<Integer> union = sc.parallelize(List.of(1, 2), 1)
                .union(sc.parallelize(List.of(3, 4), 1)).cache();
        union.count();
        String problem = SparkLine.barrierChainProblem(union).orElseThrow();
        assertTrue(problem.endsWith(": 1 partitions against the stage's 2"), problem);
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> SparkLine.runBarrierStage(union, (p, rows) -> p, Integer.class));
        assertTrue(String.valueOf(refused.getMessage()).contains("SPARK-24820"), refused.toString());
    }

    @Test
    void stageModeIsRefusedWhereSparkEncryptsRpcWithTlsWhichItsExchangeDoesNotUse() {
        org.apache.spark.SparkConf tls = new org.apache.spark.SparkConf(false).set("spark.ssl.rpc.enabled", "true");
        assertTrue(SparkLine.tlsWithoutNetworkCrypto(tls, "4.2.0"));
        assertFalse(SparkLine.tlsWithoutNetworkCrypto(tls, "3.5.9"), "3.5 has no TLS for RPC to leave out");
        assertFalse(SparkLine.tlsWithoutNetworkCrypto(tls.clone().set("spark.authenticate", "true")
                .set("spark.network.crypto.enabled", "true"), "4.2.0"), "the exchange's own AES encryption");
        assertFalse(SparkLine.tlsWithoutNetworkCrypto(new org.apache.spark.SparkConf(false), "4.2.0"));
    }

    @Test
    void anotherScalaOrSparkMajorIsRefusedNamingTheJarToSubmit() {
        SparkLine.Versions jar35 = new SparkLine.Versions("3.5.9", "2.12");
        SparkLine.Versions spark42 = new SparkLine.Versions("4.2.0", "2.13");
        String m = SparkLine.mismatch(jar35, spark42);
        assertTrue(m.contains("for Spark 3.5_2.12") && m.contains("running it is 4.2.0 on Scala 2.13")
                && m.contains("spark-vae-app-4.2_2.13.jar") && m.contains("-Pspark-4 -Dspark.version=4.2.0"), m);
        assertTrue(SparkLine.mismatch(spark42, jar35).contains("spark-vae-app-3.5_2.12.jar"));
        String scala = SparkLine.mismatch(jar35, new SparkLine.Versions("3.5.9", "2.13"));
        assertTrue(scala.contains("Scala 2.13") && scala.contains("spark-vae-app-3.5_2.13.jar"), scala);
        assertNull(SparkLine.mismatch(spark42, new SparkLine.Versions("4.1.3", "2.13")), "another minor runs");
        assertNull(SparkLine.mismatch(jar35, new SparkLine.Versions("3.5.2", "2.12")));
        String broken = SparkLine.mismatch(spark42, new SparkLine.Versions("4.0.0", "2.13"));
        assertTrue(broken.startsWith("Spark 4.0.0 is not supported: its SPARK-52259 breaks the Spark ML Params")
                && broken.endsWith("run on Spark 4.0.1 or newer"), broken);
        assertNull(SparkLine.mismatch(spark42, new SparkLine.Versions("4.0.1", "2.13")), "4.0.1 is the floor");
    }

    @Test
    void runsOnEveryPartitionOnceHandingEachResultToTheDriver() {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            values.add(i);
        }
        org.apache.spark.api.java.JavaRDD<Integer> rdd =
                new org.apache.spark.api.java.JavaSparkContext(SPARK.session().sparkContext()).parallelize(values, 5);
        long[] sums = new long[5];
        int[] calls = new int[5];
        SparkLine.runOnEveryPartition(rdd, (p, rows) -> {
            long s = 0;
            while (rows.hasNext()) {
                s += rows.next();
            }
            return s;
        }, (p, s) -> {
            sums[p] += s;
            calls[p]++;
        }, Long.class);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, calls);
        assertArrayEquals(new long[] {190, 590, 990, 1390, 1790}, sums);
    }

    /**
     * Spark 4 turns ANSI SQL mode on by default; the Parquet reader applies no SQL cast, so every numeric type reads
     * as the same floats with ANSI on and off.
     */
    @Test
    void parquetOfEveryNumericTypeReadsTheSameWithAnsiModeOnAndOff() throws Exception {
        StructType schema = new StructType().add("b", DataTypes.ByteType).add("s", DataTypes.ShortType)
                .add("i", DataTypes.IntegerType).add("l", DataTypes.LongType).add("f", DataTypes.FloatType)
                .add("d", DataTypes.DoubleType).add("m", DataTypes.createDecimalType(12, 3));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            rows.add(RowFactory.create((byte) (r - 3), (short) (300 * r), 70000 * r, (1L << 40) * r, 0.25f * r,
                    -1.5 * r, new BigDecimal(r + ".125")));
        }
        String p = dir.resolve("types.parquet").toString();
        SPARK.session().createDataFrame(rows, schema).coalesce(1).write().parquet(p);
        String before = SPARK.session().conf().get("spark.sql.ansi.enabled");
        try {
            SPARK.session().conf().set("spark.sql.ansi.enabled", "true");
            float[] ansi = read(p);
            SPARK.session().conf().set("spark.sql.ansi.enabled", "false");
            float[] legacy = read(p);
            assertArrayEquals(ansi, legacy);
            assertArrayEquals(new float[] {-2, 300, 70000, 1L << 40, 0.25f, -1.5f, 1.125f},
                    java.util.Arrays.copyOfRange(ansi, 7, 14), "the second row, as stored");
        } finally {
            SPARK.session().conf().set("spark.sql.ansi.enabled", before);
        }
    }

    private static float[] read(String uri) {
        ShardedData d = SparkTestSupport.readFile(SPARK.session(), uri, 0, new Likelihood.Gaussian(true, 0));
        List<RowBlock> blocks = d.blocks().collect();
        int total = blocks.stream().mapToInt(b -> b.values().length).sum();
        float[] out = new float[total];
        int at = 0;
        for (RowBlock b : blocks) {
            System.arraycopy(b.values(), 0, out, at, b.values().length);
            at += b.values().length;
        }
        return out;
    }
}
