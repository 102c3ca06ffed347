package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        Result r = submit("--master", "local[2]", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.hadoop.fs.s3a.secret.key=TOPSECRET", "train",
                "--input", data.toString(), "--test", data.toString(), "--output", out.toString(),
                "--epochs", "2", "--hidden", "32", "--latent-dim", "4", "--read-option", "password=TOPSECRET2");
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains(" --read-option password=\\*\\*\\*\\*\\*\\*\\*\\*\\*\\(redacted\\)"), r.output);
        assertSecretsWrittenNowhere(out, "TOPSECRET");
        assertTrue(r.output.contains("epoch 2/2"), r.output);
        assertTrue(r.output.contains("submit.sh:"), "the script prints the command it runs: " + r.output);
        assertTrue(r.output.contains(" spark.hadoop.fs.s3a.secret.key=*********(redacted) "), r.output);
        assertFalse(r.output.contains("TOPSECRET"), "a secret setting's value is never printed: " + r.output);
        assertTrue(Files.exists(out.resolve("model.zip")));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    }

    /** No file of the run (config.conf, manifest.json, checkpoints, model.zip's entries) holds {@code secret}. */
    static void assertSecretsWrittenNowhere(Path run, String secret) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(run)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                if (f.toString().endsWith(".zip") || f.toString().endsWith(".ckpt")) {
                    text = text + unzipped(f);
                }
                assertFalse(text.contains(secret), f + " holds the secret");
            }
        }
    }

    private static String unzipped(Path zip) throws IOException {
        StringBuilder out = new StringBuilder();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return out.toString();
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

    // The command line's grammar, checked on what spark-submit is given: a SPARK_HOME of the line whose spark-submit
    // records its arguments.

    @Test
    void everythingBeforeTheCommandGoesToSparkSubmitUnchanged() throws Exception {
        // An option of no list (spark-submit's next one, or a typo), and a value that is a command word.
        Recorded r = recorded("--no-such-option", "x", "--name", "train", "--files", "a.txt", "train", "--epochs", "1");
        assertEquals(List.of("--master", "local[*]", "--no-such-option", "x", "--name", "train", "--files", "a.txt"),
                r.sparkSubmitOptions());
        assertEquals(List.of("train", "--epochs", "1"), r.jobArgs());
    }

    @Test
    void anOptionSparkSubmitDoesNotKnowIsRefusedBySparkSubmit() throws Exception {
        Result r = submit("--no-such-option", "train", "--help");
        assertNotEquals(0, r.code, r.output);
        assertTrue(r.output.contains("Unrecognized option '--no-such-option'"), r.output);
        assertFalse(r.output.contains("--input=URI"), "the job's help: " + r.output);
    }

    @Test
    void doubleDashEndsSparkSubmitsOptionsAndTheCommandIsTrainByDefault() throws Exception {
        Recorded r = recorded("--master", "local[2]", "--", "--epochs", "1");
        assertEquals(List.of("--master", "local[2]"), r.sparkSubmitOptions());
        assertEquals(List.of("--epochs", "1"), r.jobArgs());
        assertEquals(List.of("score", "--model", "m"), recorded("--", "score", "--model", "m").jobArgs());
        // The job, given no command, trains: its options are checked as train's.
        Result trained = submit("--master", "local[1]", "--", "--batch-size", "0");
        assertEquals(2, trained.code, trained.output);
        assertTrue(trained.output.contains("error: batch-size:"), trained.output);
    }

    @Test
    void withNoCommandTheArgumentsAreAllSparkSubmitsOrAllTheJobs() throws Exception {
        Recorded none = recorded();
        assertEquals(List.of("--master", "local[*]"), none.sparkSubmitOptions());
        assertEquals(List.of(), none.jobArgs());
        Recorded spark = recorded("--master", "local[2]", "--conf", "spark.ui.enabled=false", "--verbose");
        assertEquals(List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false", "--verbose"),
                spark.sparkSubmitOptions());
        assertEquals(List.of(), spark.jobArgs());
        Recorded job = recorded("--epochs", "1", "--conf", "my.conf", "--output", "/tmp/x");
        assertEquals(List.of("--master", "local[*]"), job.sparkSubmitOptions());
        assertEquals(List.of("--epochs", "1", "--conf", "my.conf", "--output", "/tmp/x"), job.jobArgs());
    }

    @Test
    void aMixWithNoCommandIsRefusedInOneLine() throws Exception {
        Result r = submit("--master", "local[2]", "--epochs", "1");
        assertEquals(2, r.code, r.output);
        assertEquals(List.of("submit.sh: '--master local[2]' is spark-submit's and '--epochs' is not: put the command "
                + "(train, score or sample) or -- after spark-submit's options, as in ./submit.sh --master local[2] "
                + "train --epochs 1"), r.output.lines().toList());
    }

    @Test
    void thePrintedCommandHidesSecretSettingsAndTheCommandRunsWithThem() throws Exception {
        // Keys that Spark's spark.redaction.regex or Hadoop's sensitive-config-keys match, and a value Spark's does.
        List<String> secret = List.of("spark.hadoop.fs.s3a.secret.key=hidden-1",
                "spark.hadoop.fs.s3a.bucket.b.session.token=hidden-2",
                "spark.hadoop.fs.azure.account.key.a.dfs.core.windows.net=hidden-3",
                "spark.hadoop.fs.s3a.access.key=hidden-4", "spark.executorEnv.DB_PASSWORD=hidden-5",
                "spark.driver.extraJavaOptions=-Dx.Secret=hidden-6");
        List<String> args = new ArrayList<>();
        for (String setting : secret) {
            args.addAll(List.of("--conf", setting));
        }
        args.addAll(List.of("--conf=spark.hadoop.fs.gs.auth.client.secret=hidden-7", "--conf", "spark.ui.enabled=false",
                "train", "--epochs", "1"));
        Recorded r = recorded(args.toArray(String[]::new));
        String printed = r.result.output.lines().filter(l -> l.contains("--class")).findFirst().orElseThrow();
        for (String setting : secret) {
            String key = setting.substring(0, setting.indexOf('='));
            assertTrue(printed.contains(" --conf " + key + "=*********(redacted) "), key + ": " + printed);
        }
        assertTrue(printed.contains(" --conf=spark.hadoop.fs.gs.auth.client.secret=*********(redacted) "), printed);
        assertTrue(printed.contains(" --conf spark.ui.enabled=false "), printed);
        assertFalse(r.result.output.contains("hidden-"), r.result.output);
        List<String> given = new ArrayList<>(List.of("--master", "local[*]"));
        given.addAll(args.subList(0, args.indexOf("train")));
        assertEquals(given, r.sparkSubmitOptions(), "spark-submit gets the values");
    }

    /** A run of submit.sh, and the arguments its spark-submit was given. */
    record Recorded(Result result, List<String> sparkSubmitArgs) {
        /** spark-submit's options: those before the --class that names the job. */
        List<String> sparkSubmitOptions() {
            return sparkSubmitArgs.subList(0, sparkSubmitArgs.lastIndexOf("--class"));
        }

        /** The job's arguments: those after the application jar. */
        List<String> jobArgs() {
            return sparkSubmitArgs.subList(sparkSubmitArgs.lastIndexOf("--class") + 3, sparkSubmitArgs.size());
        }
    }

    /** Runs submit.sh with a SPARK_HOME of the line under test whose bin/spark-submit records its arguments. */
    private Recorded recorded(String... args) throws IOException, InterruptedException {
        Path home = dir.resolve("recording-spark");
        Path recorded = dir.resolve("spark-submit.args");
        if (!Files.exists(home)) {
            Files.createDirectories(home.resolve("jars"));
            Files.createFile(home.resolve("jars/spark-core_" + SparkTestSupport.scalaBinaryVersion() + "-"
                    + SparkTestSupport.sparkVersion() + ".jar"));
            Path script = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
            Files.writeString(script, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > '" + recorded + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.deleteIfExists(recorded);
        Result r = submit(dir, Map.of("SPARK_HOME", home.toString()), args);
        assertEquals(0, r.code, r.output);
        return new Recorded(r, Files.readAllLines(recorded));
    }

    record Result(int code, String output) {
    }

    /** Starts submit.sh with its output going to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        return start(log, Map.of(), args);
    }

    /** Starts submit.sh with {@code env} added to its environment and its output going to {@code log}. */
    static Process start(Path log, Map<String, String> env, String... args) throws IOException {
        return start(log, env, null, args);
    }

    /**
     * Starts submit.sh with {@code env} added to its environment, in the working directory {@code workDir} (null:
     * this one), its output going to {@code log}.
     */
    static Process start(Path log, Map<String, String> env, Path workDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(SCRIPT.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SPARK_VAE_DRIVER_OPTS", "-Xmx1g");
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
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
