package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's object-store recipe, through submit.sh, against an S3 server on loopback ({@link S3TestStore}), with
 * S3A's jars and settings given to spark-submit as users give them (--jars, --conf spark.hadoop.fs.s3a.*): a run
 * written in place and resumed after its driver is killed; a model root that promotes, warm-starts from latest and
 * scores from and to s3a://; and the secret key written nowhere.
 */
public class ObjectStoreIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static S3TestStore s3;
    private static FileSystem fs;
    private static String data;

    @TempDir
    static Path shared;

    @BeforeAll
    static void startTheStoreWithTheDataOnIt() throws Exception {
        s3 = S3TestStore.start();
        fs = new org.apache.hadoop.fs.Path(s3.uri("/")).getFileSystem(s3.conf());
        Path local = SparkTestSupport.fashionSubset(shared.resolve("d-idx3-ubyte"), 2000);
        data = s3.uri("data/d-idx3-ubyte");
        try (var out = fs.create(new org.apache.hadoop.fs.Path(data), true)) {
            Files.copy(local, out);
        }
    }

    @AfterAll
    static void stopTheStore() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aRunIsWrittenInPlaceAndResumesAfterItsDriverIsKilled() throws Exception {
        String out = s3.uri("runs/killed");
        List<String> train = List.of("train", "--input", data, "--test", "none", "--output", out, "--epochs", "6",
                "--hidden", "32", "--latent-dim", "4", "--batch-size", "64", "--local-steps", "2",
                "--checkpoint-every", "3");
        Process p = SubmitScriptIT.start(shared.resolve("killed.log"), Map.of(), null, args(train));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!hasCheckpoint(out + "/checkpoints") && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        p.destroyForcibly();
        p.waitFor();
        assertTrue(hasCheckpoint(out + "/checkpoints"), Files.readString(shared.resolve("killed.log")));
        assertFalse(exists(out + "/_SUCCESS"), "killed before it finished: unfinished, as _SUCCESS says");

        List<String> resume = new ArrayList<>(train);
        resume.add("--resume");
        SubmitScriptIT.Result r = submit(resume);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("resuming at round"), r.output());
        assertTrue(exists(out + "/_SUCCESS") && exists(out + "/model.zip"));
        assertEquals(6, read(out + "/metrics.jsonl").lines().count());
        assertFalse(exists(s3.uri("runs/.killed.inprogress")), "written in place: no hidden sibling to rename");
        assertNoObjectHolds(s3.uri("runs"), S3TestStore.SECRET_KEY);
        assertFalse(r.output().contains(S3TestStore.SECRET_KEY), "the secret key is never printed");
    }

    @Test
    void aModelRootPromotesWarmStartsFromLatestAndScoresFromAndToTheStore() throws Exception {
        String root = s3.uri("models/vae");
        List<String> first = List.of("train", "--input", data, "--test", data, "--model-root", root,
                "--run-id", "first", "--epochs", "1", "--hidden", "32", "--latent-dim", "4");
        SubmitScriptIT.Result r = submit(first);
        assertEquals(0, r.code(), r.output());
        assertEquals("runs/first", read(root + "/latest").trim());
        assertTrue(exists(root + "/promotions/000000000001.json"));
        JsonNode promotion = manifest(root + "/runs/first").at("/promotion");
        boolean conditionalWrites = !SparkTestSupport.sparkLine().startsWith("3.");
        assertEquals(conditionalWrites, promotion.at("/atomic").asBoolean(), promotion.toString());
        assertEquals(!conditionalWrites, r.output().contains("no atomic create-if-absent"),
                "the store's lack of an atomic append is said in one line: " + r.output());

        List<String> second = new ArrayList<>(first);
        second.set(second.indexOf("first"), "second");
        second.addAll(List.of("--init-from", "latest"));
        SubmitScriptIT.Result warm = submit(second);
        assertTrue(warm.code() == 0 || warm.code() == 5, warm.output());
        JsonNode manifest = manifest(root + "/runs/second");
        assertEquals(root + "/runs/first/model.zip", manifest.at("/initialised_from").asText());
        assertEquals(root + "/runs/first", manifest.at("/promotion/latest").asText());
        assertEquals(warm.code() == 0 ? "runs/second" : "runs/first", read(root + "/latest").trim());

        String scores = s3.uri("scores/week49");
        SubmitScriptIT.Result scored = submit(List.of("score", "--model", root, "--input", data, "--output", scores,
                "--samples", "4"));
        assertEquals(0, scored.code(), scored.output());
        assertTrue(exists(scores + "/_SUCCESS"), scored.output());
        assertTrue(java.util.Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(scores)))
                .anyMatch(f -> f.getPath().getName().endsWith(".parquet")));
    }

    private static String[] args(List<String> job) throws IOException {
        List<String> all = new ArrayList<>(List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false"));
        all.addAll(s3.sparkSubmitArgs());
        all.addAll(job);
        return all.toArray(String[]::new);
    }

    private static SubmitScriptIT.Result submit(List<String> job) throws Exception {
        return SubmitScriptIT.submit(shared, args(job));
    }

    private static boolean hasCheckpoint(String dir) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
        return fs.exists(p) && fs.listStatus(p, f -> f.getName().endsWith(".ckpt")).length > 0;
    }

    private static boolean exists(String uri) throws IOException {
        return fs.exists(new org.apache.hadoop.fs.Path(uri));
    }

    private static String read(String uri) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode manifest(String run) throws IOException {
        return JSON.readTree(read(run + "/manifest.json"));
    }

    /** No object under {@code prefix} (zips unpacked) holds {@code secret}. */
    private static void assertNoObjectHolds(String prefix, String secret) throws IOException {
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(new org.apache.hadoop.fs.Path(prefix), true);
        while (files.hasNext()) {
            FileStatus f = files.next();
            Path copy = Files.createTempFile(shared, "object", f.getPath().getName());
            try (InputStream in = fs.open(f.getPath())) {
                Files.write(copy, in.readAllBytes());
            }
            SubmitScriptIT.assertSecretsWrittenNowhere(copy, secret);
        }
    }
}
