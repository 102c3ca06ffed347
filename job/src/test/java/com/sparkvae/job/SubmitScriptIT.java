package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** submit.sh, as a user runs it, against the packaged application jar, with no Spark installation. */
public class SubmitScriptIT {
    private static final Path SCRIPT = Path.of("..", "submit.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void trainsAndWritesTheRunDirectory() throws Exception {
        Path data = SparkTestSupport.fashionSubset(dir.resolve("small-idx3-ubyte.gz"), 1000);
        Path out = dir.resolve("run");
        Result r = submit("--master", "local[2]", "--conf", "spark.ui.enabled=false", "train",
                "--input", data.toString(), "--test", data.toString(), "--output", out.toString(),
                "--epochs", "2", "--hidden", "32", "--latent-dim", "4");
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("epoch 2/2"), r.output);
        assertTrue(r.output.contains("submit.sh:"), "the script prints the command it runs: " + r.output);
        assertTrue(Files.exists(out.resolve("model.zip")));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    }

    @Test
    void helpListsEveryOption() throws Exception {
        Result r = submit("--help");
        assertEquals(0, r.code, r.output);
        for (Setting<?> def : TrainSettings.ALL.all()) {
            assertTrue(r.output.contains(def.flag()), "--help lacks " + def.flag());
        }
    }

    @Test
    void badConfigurationExitsWithCodeTwoBeforeSparkStarts() throws Exception {
        Result r = submit("train", "--batch-size", "0");
        assertEquals(2, r.code, r.output);
        assertTrue(r.output.contains("error: batch-size:"), r.output);
        assertTrue(!r.output.contains("SparkContext: Running Spark"), r.output);
    }

    @Test
    void badDataExitsWithCodeThreeAndAOneLineErrorNamingTheFile() throws Exception {
        Path csv = Files.writeString(dir.resolve("rows.csv"), "0.1,0.2\n0.3,zero\n");
        Result r = submit("--master", "local[1]", "train", "--input", csv.toString(), "--test", "none",
                "--output", dir.resolve("run").toString());
        assertEquals(3, r.code, r.output);
        String error = r.output.lines().filter(l -> l.startsWith("error: ")).findFirst().orElseThrow();
        assertTrue(error.contains("rows.csv: byte offset 8: column 2 holds 'zero' where a number was expected"), error);
        assertTrue(!Files.exists(dir.resolve("run")), "nothing is published");
    }

    record Result(int code, String output) {
    }

    /** Starts submit.sh with its output going to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        return start(log, Map.of(), args);
    }

    /** Starts submit.sh with {@code env} added to its environment and its output going to {@code log}. */
    static Process start(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(SCRIPT.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SPARK_VAE_DRIVER_OPTS", "-Xmx1g");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs submit.sh to completion. */
    static Result submit(Path dir, String... args) throws IOException, InterruptedException {
        return submit(dir, Map.of(), args);
    }

    /** Runs submit.sh to completion with {@code env} added to its environment. */
    static Result submit(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "submit", ".log");
        Process p = start(log, env, args);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("submit.sh did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private Result submit(String... args) throws IOException, InterruptedException {
        return submit(dir, args);
    }
}
