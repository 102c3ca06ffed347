package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.store.ModelStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on loopback, from the Maven build's Spark jars: one Master and two Workers of one
 * core each, so the two partitions train in two executor JVMs, apart from the driver. The application jar goes
 * through submit.sh exactly as a user submits it.
 */
public class StandaloneClusterIT {
    private static final Path SPARK_CLASSPATH = SparkTestSupport.sparkClasspathFile();
    private static final List<Process> DAEMONS = new ArrayList<>();
    /** The Workers' processes, by number (1 and 2). */
    private static final Process[] WORKERS = new Process[3];
    private static String master;
    private static String openBlasCoreType;
    private static Path sparkHome;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        sparkHome = shared.resolve("spark-home");
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        Files.writeString(sparkHome.resolve("RELEASE"),
                "Spark " + SparkTestSupport.sparkVersion() + " (Maven jars of the spark-vae build)\n");
        for (String jar : Files.readString(SPARK_CLASSPATH).trim().split(":")) {
            Path p = Path.of(jar);
            Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
        }
        openBlasCoreType = SparkTestSupport.openBlasCoreType();
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        DAEMONS.add(daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort())));
        startWorker(1);
        startWorker(2);
        awaitRegistrations(2);
    }

    /** Starts Worker {@code w} (1 or 2) of one core, working in {@code work<w>}. */
    private static void startWorker(int w) throws IOException {
        WORKERS[w] = daemon("worker" + w, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
                "--cores", "1", "--memory", "2g", "--webui-port", Integer.toString(freePort()),
                "--work-dir", shared.resolve("work" + w).toString());
        DAEMONS.add(WORKERS[w]);
    }

    /** Waits until the Master's log shows {@code n} registrations of Workers in all. */
    private static void awaitRegistrations(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (registeredWorkers() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("workers did not register: " + Files.readString(shared.resolve("master.log")));
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : DAEMONS) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        executors().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void trainsInExecutorJvmsLikeLocalModeAndSurvivesALostExecutor() throws Exception {
        Path data = SparkTestSupport.fashionSubset(dir.resolve("d-idx3-ubyte"), 3000);
        List<String> job = List.of("train", "--input", data.toString(), "--test", data.toString(), "--epochs", "3",
                "--hidden", "64", "--latent-dim", "8", "--batch-size", "64", "--local-steps", "4",
                "--checkpoint-every", "2", "--rounds", "jobs");
        List<String> onCluster = List.of("--master", master, "--conf", "spark.executor.memory=1g",
                "--conf", "spark.ui.enabled=false");

        Path local = dir.resolve("local");
        check(SubmitScriptIT.submit(dir, args(List.of("--master", "local[2]"), job, "--output", local.toString())));

        Path cluster = dir.resolve("cluster");
        check(SubmitScriptIT.submit(dir, args(onCluster, job, "--output", cluster.toString())));
        assertTrue(executorLogFiles().size() >= 2, "the rounds ran in executor JVMs launched by the two workers");
        assertArrayEquals(params(local), params(cluster), "same seed, same partitions: the same model");

        // The rounds inside one barrier stage an epoch (--rounds stage): one task per executor JVM, whose leaders
        // exchange their partial sums over Spark's transport and sum them in partition order, as the driver does.
        // An executor is killed once its log shows the first span running: Spark aborts the span's stage, the driver
        // runs the span again from its start once the worker has launched another executor, and the run still ends
        // with the parameters of the jobs-mode run above. The spans after it reach the executors' servers on the
        // ports the span before used, without swapping them again.
        List<String> staged = new ArrayList<>(job);
        staged.set(staged.indexOf("--checkpoint-every") + 1, "0");
        staged.set(staged.indexOf("--rounds") + 1, "stage");
        List<String> quickSlots = new ArrayList<>(onCluster);
        quickSlots.addAll(List.of("--conf", "spark.scheduler.barrier.maxConcurrentTasksCheck.interval=1s"));
        Path stageDisturbed = dir.resolve("stage-disturbed");
        // Its executors' logs only: another test's application may have run spans on this cluster before.
        Set<Path> earlier = executorLogFiles();
        String stageLog = killAnExecutorWhile("stage-disturbed", args(quickSlots, staged, "--output",
                stageDisturbed.toString()), () -> aNewExecutorLogShows(earlier,
                "which exchanges its sums with the others"));
        assertTrue(stageLog.contains("the stage of the rounds from round 0 failed (attempt 1 of 4)")
                && stageLog.contains("running them again from their start"), "the span ran again: " + stageLog);
        assertArrayEquals(params(local), params(stageDisturbed));
        assertTrue(aNewExecutorLogShows(earlier, "ports as the last span's"), "a later span skipped the rendezvous");

        // An executor killed (SIGKILL) in the middle of the run: Spark reruns its tasks elsewhere, the reruns draw
        // the same random numbers, and the run ends with the same parameters.
        Path disturbed = dir.resolve("disturbed");
        Path checkpoints = dir.resolve(".disturbed.inprogress").resolve("checkpoints");
        killAnExecutorWhile("disturbed", args(onCluster, job, "--output", disturbed.toString()),
                () -> exists(checkpoints));
        assertArrayEquals(params(cluster), params(disturbed));
    }

    @Test
    void autoGoesOnInJobsModeWhileALostExecutorIsNotReplaced() throws Exception {
        Path data = SparkTestSupport.fashionSubset(dir.resolve("d-idx3-ubyte"), 3000);
        List<String> job = List.of("train", "--input", data.toString(), "--test", data.toString(), "--epochs", "12",
                "--hidden", "64", "--latent-dim", "8", "--batch-size", "64", "--local-steps", "4",
                "--checkpoint-every", "0");
        Path local = dir.resolve("local");
        check(SubmitScriptIT.submit(dir, args(List.of("--master", "local[2]"), job, "--rounds", "jobs", "--output",
                local.toString())));

        // The default --rounds auto takes stage mode on this cluster. Once the first span runs, a Worker and its
        // executor are killed (SIGKILL): nothing launches another executor, the span's stage cannot run again,
        // and after Spark's wait for executors (5 s here) the run goes on in jobs mode from the span's start. The
        // Worker then starts again, the Master gives the application an executor on it, and the run takes stage
        // mode back at the next span. It ends with the parameters of the undisturbed run.
        Path auto = dir.resolve("auto-worker-lost");
        Path logFile = dir.resolve("auto-worker-lost.log");
        Set<Path> earlier = executorLogFiles();
        Process run = SubmitScriptIT.start(logFile, args(List.of("--master", master, "--conf",
                "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false", "--conf",
                "spark.scheduler.maxRegisteredResourcesWaitingTime=5s"), job, "--output", auto.toString()));
        boolean workerDown = false;
        try {
            awaitWhile(run, () -> aNewExecutorLogShows(earlier, "which exchanges its sums with the others"));
            assertTrue(run.isAlive(), "the run to disturb: " + Files.readString(logFile));
            WORKERS[2].descendants().forEach(ProcessHandle::destroyForcibly);
            WORKERS[2].destroyForcibly();
            workerDown = true;
            awaitWhile(run, () -> Files.readString(logFile).contains("auto goes on in jobs mode"));
            startWorker(2);
            workerDown = false;
            assertTrue(run.waitFor(5, TimeUnit.MINUTES));
            String log = Files.readString(logFile);
            Files.copy(logFile, Path.of("target", "standalone-auto-worker-lost.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertEquals(0, run.exitValue(), log);
            assertTrue(log.contains("rounds: auto runs each span of rounds as one barrier stage"), log);
            assertTrue(log.contains("task slots for 2 partitions 5 s after the stage of the rounds from round 0 "
                    + "failed (a lost executor not replaced); auto goes on in jobs mode"), log);
            assertTrue(log.contains("rounds: the cluster has a task slot for each of the 2 partitions; auto runs "
                    + "each span of rounds as one barrier stage from here on"), log);
            assertArrayEquals(params(local), params(auto));
        } finally {
            run.destroyForcibly();
            if (workerDown) {
                startWorker(2);
            }
            awaitRegistrations(3);   // the cluster as the other tests expect it
        }
    }

    /** Waits, for at most 3 minutes, until {@code moment} is reached or {@code run} has ended. */
    private static void awaitWhile(Process run, Moment moment) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!moment.reached() && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void theQuickStartDefaultsWorkOnAClusterOfThisHost() throws Exception {
        // The bundled data by its default relative path: the driver qualifies it against its working directory, so
        // the executors, which run in their own work directories, read the same files.
        Path out = dir.resolve("quick");
        SubmitScriptIT.Result r = SubmitScriptIT.submit(dir, "--master", master, "--conf", "spark.executor.memory=1g",
                "--conf", "spark.ui.enabled=false", "train", "--epochs", "1", "--output", out.toString());
        check(r);
        assertTrue(Files.exists(out.resolve("_SUCCESS")), r.output());
        String manifest = Files.readString(out.resolve("manifest.json"));
        Path bundled = Path.of("..", "data", "fashion-mnist", "train-images-idx3-ubyte.gz").toAbsolutePath()
                .normalize();
        assertTrue(manifest.contains("\"file:" + bundled + "\""), "the input as the executors read it: " + manifest);
    }

    /** What a run is waited for to reach before an executor is killed. */
    private interface Moment {
        boolean reached() throws IOException;
    }

    /**
     * Runs submit.sh with {@code args}, kills an executor (SIGKILL) once the run has reached {@code moment}, and
     * returns the driver's log once the run has ended well, after seeing the executor go. The log is kept as
     * {@code target/standalone-<name>.log}, for reading after the build.
     */
    private String killAnExecutorWhile(String name, String[] args, Moment moment) throws Exception {
        Path logFile = dir.resolve(name + ".log");
        Process run = SubmitScriptIT.start(logFile, args);
        awaitWhile(run, moment);
        Optional<ProcessHandle> victim = executors().findFirst();
        assertTrue(moment.reached() && victim.isPresent() && run.isAlive(),
                "an executor to kill at the moment: " + Files.readString(logFile));
        victim.get().destroyForcibly();
        assertTrue(run.waitFor(5, TimeUnit.MINUTES));
        String log = Files.readString(logFile);
        Files.copy(logFile, Path.of("target", "standalone-" + name + ".log"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, run.exitValue(), log);
        assertTrue(log.contains("Lost executor"), "the driver saw the executor go: " + log);
        return log;
    }

    /** The executors' logs (every executor's stderr in the Workers' directories), of all applications so far. */
    private static Set<Path> executorLogFiles() throws IOException {
        Set<Path> all = new HashSet<>();
        for (int w = 1; w <= 2; w++) {
            try (Stream<Path> files = Files.walk(shared.resolve("work" + w))) {
                files.filter(f -> f.getFileName().toString().equals("stderr")).forEach(all::add);
            }
        }
        return all;
    }

    /** Whether the log of an executor not among {@code earlier} (one of a later application) shows {@code text}. */
    private static boolean aNewExecutorLogShows(Set<Path> earlier, String text) throws IOException {
        for (Path f : executorLogFiles()) {
            if (!earlier.contains(f) && Files.readString(f).contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static void check(SubmitScriptIT.Result r) {
        assertEquals(0, r.code(), r.output());
    }

    private static float[] params(Path run) throws IOException {
        return ModelStore.load(new org.apache.hadoop.fs.Path(run.resolve("model.zip").toString()), new Configuration())
                .parameters();
    }

    private static String[] args(List<String> spark, List<String> job, String... more) {
        List<String> all = new ArrayList<>(spark);
        all.addAll(job);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static Stream<ProcessHandle> executors() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("CoarseGrainedExecutorBackend") && c.contains(sparkHome.toString()))
                .orElse(false));
    }

    private static boolean exists(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".ckpt"));
        }
    }

    private static int registeredWorkers() throws IOException {
        Path log = shared.resolve("master.log");
        return !Files.exists(log) ? 0
                : (int) Files.readAllLines(log).stream().filter(l -> l.contains("Registering worker")).count();
    }

    private static Process daemon(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", Files.readString(SPARK_CLASSPATH).trim(), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(shared.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", SparkTestSupport.scalaBinaryVersion());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // The executors inherit the Workers' environment: the kernels of a local run (bench/standalone-cluster.sh).
        if (!openBlasCoreType.isEmpty()) {
            pb.environment().put("OPENBLAS_CORETYPE", openBlasCoreType);
        }
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
