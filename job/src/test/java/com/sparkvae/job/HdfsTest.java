package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.score.ScoreJob;
import com.sparkvae.job.train.TrainJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Everything through a real HDFS (a MiniDFSCluster on loopback): train, promote, score, read back with Spark SQL. */
public class HdfsTest {
    private static MiniDFSCluster cluster;
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static String hdfs;

    @TempDir
    static Path local;

    @BeforeAll
    static void start() throws Exception {
        cluster = SparkTestSupport.startHdfs(local.resolve("dfs"));
        hdfs = SparkTestSupport.hdfsUri(cluster);
    }

    @AfterAll
    static void stop() {
        cluster.shutdown();
    }

    @Test
    void trainPromoteAndScoreOnHdfs() throws Exception {
        FileSystem fs = cluster.getFileSystem();
        Path data = SparkTestSupport.fashionSubset(local.resolve("train-idx3-ubyte.gz"), 800);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(data.toString()), new org.apache.hadoop.fs.Path("/data/train-idx3-ubyte.gz"));
        String input = hdfs + "/data/train-idx3-ubyte.gz";
        String root = hdfs + "/models/vae";

        TrainJob.Outcome outcome = TrainJob.run(SPARK.session(), TestConfigs.train(Map.of("input", input,
                "test", input, "model-root", root, "run-id", "first", "epochs", "2", "hidden", "16",
                "latent-dim", "3")));
        assertTrue(outcome.promoted());
        String latest = new String(fs.open(new org.apache.hadoop.fs.Path("/models/vae/latest")).readAllBytes(),
                StandardCharsets.UTF_8).trim();
        assertEquals("runs/first", latest);
        for (String name : List.of("_SUCCESS", "model.zip", "manifest.json", "metrics.jsonl", "elbo.png",
                "samples.png", "reconstructions.png", "config.conf")) {
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/models/vae/runs/first/" + name)), name);
        }

        // A warm-started retraining replaces the pointer (an atomic rename over the old one on HDFS).
        assertTrue(TrainJob.run(SPARK.session(), TestConfigs.train(Map.of("input", input, "test", input,
                "model-root", root, "run-id", "second", "epochs", "1", "hidden", "16", "latent-dim", "3",
                "init-from", "latest"))).promoted());
        assertEquals("runs/second", new String(fs.open(new org.apache.hadoop.fs.Path("/models/vae/latest"))
                .readAllBytes(), StandardCharsets.UTF_8).trim());

        String scores = hdfs + "/scores/first.parquet";
        ScoreJob.run(SPARK.session(), TestConfigs.score(Map.of("model", root, "input", input, "output", scores, "samples", "8")));
        Row r = SPARK.session().read().parquet(scores).selectExpr("count(*)", "max(row_id)", "avg(neg_elbo)").first();
        assertEquals(800L, r.getLong(0));
        assertEquals(799L, r.getLong(1));
        assertTrue(r.getDouble(2) > 0);
    }

    @Test
    void fourRealRunsPromotingAtOnceLeaveTheBestAsLatest() throws Exception {
        FileSystem fs = cluster.getFileSystem();
        Path data = SparkTestSupport.fashionSubset(local.resolve("race-idx3-ubyte.gz"), 600);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(data.toString()),
                new org.apache.hadoop.fs.Path("/data/race-idx3-ubyte.gz"));
        String input = hdfs + "/data/race-idx3-ubyte.gz";
        String root = hdfs + "/models/race";
        List<String> rates = List.of("0.0005", "0.001", "0.004", "0.02");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(rates.size());
        try {
            List<java.util.concurrent.Future<TrainJob.Outcome>> runs = new java.util.ArrayList<>();
            for (String lr : rates) {
                runs.add(pool.submit(() -> TrainJob.run(SPARK.session(), TestConfigs.train(Map.of("input", input,
                        "test", input, "model-root", root, "run-id", "lr" + lr, "epochs", "1", "hidden", "16",
                        "latent-dim", "3", "lr", lr)))));
            }
            for (var run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String best = null;
        double bestFigure = Double.POSITIVE_INFINITY;
        for (String lr : rates) {
            var manifest = json.readTree(fs.open(new org.apache.hadoop.fs.Path("/models/race/runs/lr" + lr
                    + "/manifest.json")));
            double figure = manifest.at("/final/test_neg_elbo").asDouble();
            assertTrue(manifest.at("/promotion/decisions").asInt() >= 1, "every decision is recorded: " + manifest);
            if (figure < bestFigure) {
                bestFigure = figure;
                best = "runs/lr" + lr;
            }
        }
        String latest = new String(fs.open(new org.apache.hadoop.fs.Path("/models/race/latest")).readAllBytes(),
                StandardCharsets.UTF_8).trim();
        assertEquals(best, latest, "the run with the best held-out figure is latest, whatever order they finished");
    }
}
