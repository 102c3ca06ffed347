package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit.sh's choice of the application jar when a Spark is installed: a SPARK_HOME made of the line's Maven jars,
 * with a bin/spark-submit that runs SparkSubmit from them, as a distribution's does.
 */
class SubmitSparkLineIT {
    private static final Path SCRIPT = Path.of("..", "submit.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void anInstalledSparkGetsItsOwnLinesJar() throws Exception {
        Path home = sparkHome("spark-home", true);
        Result r = run(Map.of("SPARK_HOME", home.toString()), "--help");
        assertEquals(0, r.code(), r.output());
        String line = SparkTestSupport.sparkLine();
        assertTrue(r.output().contains("submit.sh: Spark " + SparkTestSupport.sparkVersion() + " at " + home
                + "; its line's jar: job/target/spark-vae-app-" + line + ".jar"), r.output());
        assertTrue(r.output().contains(home.resolve("bin/spark-submit").toString()), "runs the installed spark-submit");
        assertTrue(r.output().contains("--input=URI"), "the job ran: " + r.output());
    }

    @Test
    void aLineThatContradictsTheInstalledSparkIsRefusedInOneLine() throws Exception {
        Path home = sparkHome("spark-home", false);
        String other = SparkTestSupport.sparkLine().startsWith("3.") ? "4.2_2.13" : "3.5_2.12";
        Result r = run(Map.of("SPARK_HOME", home.toString(), "SPARK_VAE_SPARK_LINE", other), "train");
        assertEquals(2, r.code(), r.output());
        assertEquals(List.of("submit.sh: SPARK_VAE_SPARK_LINE=" + other + " does not match Spark "
                + SparkTestSupport.sparkVersion() + " (Scala " + SparkTestSupport.scalaBinaryVersion() + ") at " + home
                + ", which runs only a " + SparkTestSupport.sparkLine() + " jar"), r.output().lines().toList());
    }

    @Test
    void sparkFourZeroIsRefusedInOneLine() throws Exception {
        Path home = Files.createDirectories(dir.resolve("spark-4.0"));
        Files.createDirectories(home.resolve("jars"));
        Files.createFile(home.resolve("jars/spark-core_2.13-4.0.0.jar"));
        Files.createDirectories(home.resolve("bin"));
        Files.createFile(home.resolve("bin/spark-submit"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Result r = run(Map.of("SPARK_HOME", home.toString()), "train");
        assertEquals(2, r.code(), r.output());
        assertEquals(1, r.output().lines().count(), r.output());
        assertTrue(r.output().contains("Spark 4.0.0 at " + home + " is not supported: its SPARK-52259 breaks the "
                + "Spark ML Params"), r.output());
    }

    /** A SPARK_HOME: jars/ linking the line's runtime jars and, when runnable, a bin/spark-submit. */
    private Path sparkHome(String name, boolean runnable) throws IOException {
        Path home = dir.resolve(name);
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String jar : Files.readString(SparkTestSupport.sparkClasspathFile()).trim().split(":")) {
            Path p = Path.of(jar);
            Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
        }
        Path bin = Files.createDirectories(home.resolve("bin"));
        String opens = Files.readString(SparkTestSupport.sparkClasspathFile().resolveSibling("java17-opens.txt")).trim();
        Files.writeString(bin.resolve("spark-submit"), "#!/usr/bin/env bash\n" + (runnable
                ? "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' " + opens + " -Xmx1g -cp '"
                + jars + "/*' org.apache.spark.deploy.SparkSubmit \"$@\"\n" : "exit 99\n"));
        Files.setPosixFilePermissions(bin.resolve("spark-submit"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private record Result(int code, String output) {
    }

    private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "submit", ".log");
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("SPARK_VAE_SPARK_LINE");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("submit.sh did not finish in 3 minutes");
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
