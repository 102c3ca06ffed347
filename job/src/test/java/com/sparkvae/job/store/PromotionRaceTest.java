package com.sparkvae.job.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.S3TestStore;
import com.sparkvae.job.SparkTestSupport;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that finish at the same moment promote into one model root: four contenders with known, different held-out
 * figures start together, twenty times over, on the local disk and on HDFS. Each decides against the run promoted
 * when it looks, and whatever the interleaving the best ends up promoted, in the log's head and in {@code latest}.
 */
public class PromotionRaceTest {
    private static final int CONTENDERS = 4;
    private static final int ROUNDS = 20;

    @TempDir
    static Path base;
    private static MiniDFSCluster hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        hdfs = SparkTestSupport.startHdfs(base.resolve("dfs"));
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Test
    void onTheLocalDiskTheBestOfFourRacingRunsEndsUpPromoted() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            race(base.resolve("local/root" + round).toUri().toString(), new Configuration());
        }
    }

    @Test
    void onS3WithConditionalWritesTheBestOfFourRacingRunsEndsUpPromoted() throws Exception {
        try (S3TestStore s3 = S3TestStore.start()) {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(s3.uri("race"));
            ExclusiveCreate create = ExclusiveCreate.on(root, s3.conf());
            if (SparkTestSupport.sparkLine().startsWith("3.")) {
                // Hadoop 3.3.4's S3A has no conditional create: the job says so rather than claim a safety it lacks.
                assertTrue(!create.atomic() && create.describe().contains("no atomic create-if-absent"),
                        create.describe());
                return;
            }
            assertTrue(create.atomic(), create.describe());
            for (int round = 0; round < ROUNDS; round++) {
                race(s3.uri("models/root" + round), s3.conf());
            }
        }
    }

    @Test
    void onHdfsTheBestOfFourRacingRunsEndsUpPromoted() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            race(SparkTestSupport.hdfsUri(hdfs) + "/models/root" + round, new Configuration());
        }
    }

    /** Four runs promote into {@code root} at once; checks the head, {@code latest} and every decision. */
    static void race(String root, Configuration conf) throws Exception {
        List<Double> figures = new ArrayList<>(List.of(300.0, 310.0, 320.0, 330.0));
        Collections.shuffle(figures);
        Map<String, Double> figureOf = new ConcurrentHashMap<>();
        for (int i = 0; i < CONTENDERS; i++) {
            figureOf.put("run" + i, figures.get(i));
            FileSystem.get(java.net.URI.create(root), conf).mkdirs(new org.apache.hadoop.fs.Path(root, "runs/run" + i));
        }
        CyclicBarrier start = new CyclicBarrier(CONTENDERS);
        ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
        try {
            List<Future<ModelRoot.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < CONTENDERS; i++) {
                String run = "run" + i;
                outcomes.add(pool.submit(() -> {
                    ModelRoot modelRoot = new ModelRoot(root, conf);
                    start.await();
                    return modelRoot.promote(run, incumbent -> judge(figureOf.get(run), incumbent, figureOf),
                            "held-out rows", 0, run);
                }));
            }
            int promoted = 0;
            for (Future<ModelRoot.Outcome> f : outcomes) {
                ModelRoot.Outcome o = f.get();
                assertTrue(o.decisions() >= 1);
                promoted += o.verdict().promote() ? 1 : 0;
            }
            assertTrue(promoted >= 1 && promoted <= CONTENDERS);
            ModelRoot modelRoot = new ModelRoot(root, conf);
            String best = figureOf.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            assertEquals(best, modelRoot.latestRun().orElseThrow().getName(), "the log's head is the best run");
            assertEquals("runs/" + best, pointer(root, conf), "latest names the head");
            assertEquals(promoted, new PromotionLog(new org.apache.hadoop.fs.Path(root), conf).head().orElseThrow()
                    .sequence(), "one log entry per promotion, numbered without a gap");
        } finally {
            pool.shutdownNow();
        }
    }

    /** The candidate against the incumbent's known figure, after a pause that widens the race. */
    private static ModelRoot.Verdict judge(double candidate, Optional<ModelRoot.Promoted> incumbent,
                                           Map<String, Double> figureOf) throws java.io.IOException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (incumbent.isEmpty()) {
            return new ModelRoot.Verdict(true, candidate, OptionalDouble.empty(), "no previous latest");
        }
        double current = figureOf.get(incumbent.get().run().getName());
        return new ModelRoot.Verdict(candidate <= current, candidate, OptionalDouble.of(current), "compared");
    }

    private static String pointer(String root, Configuration conf) throws Exception {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root, ModelRoot.LATEST);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
