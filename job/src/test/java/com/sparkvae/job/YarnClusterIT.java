package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.store.ModelStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A real YARN over a real HDFS, on loopback in this JVM, as Spark's own BaseYarnClusterSuite runs them: a
 * MiniYARNCluster (a ResourceManager and one NodeManager, which launches the ApplicationMaster and executors as
 * separate JVMs) and a MiniDFSCluster. Their configuration is written to a folder used as HADOOP_CONF_DIR, and the
 * job goes through submit.sh with no SPARK_HOME, as README.md's YARN recipe runs it.
 *
 * <p>The three applications run side by side on the one cluster, as a shared cluster's do: each has its own paths,
 * and most of each one's time is YARN launching containers, so the class takes about the time of its longest one.
 */
@Execution(ExecutionMode.CONCURRENT)
public class YarnClusterIT {
    /** Where the Spark jars are staged for the applications that do not upload their own. */
    private static final String SPARK_JARS = "/apps/spark-vae/spark-jars";
    private static final Pattern APPLICATION_ID = Pattern.compile("application_\\d+_\\d+");

    private static MiniDFSCluster dfs;
    private static MiniYARNCluster yarn;
    private static FileSystem fs;
    private static String hdfs;
    private static Path confDir;

    @TempDir
    static Path shared;

    @BeforeAll
    static void startClusters() throws Exception {
        // HDFS from a configuration of its own: MiniDFSCluster adds test-only settings (a rack mapping class of
        // Hadoop's test jars) that the YARN configuration, which the application reads, must not carry.
        dfs = SparkTestSupport.startHdfs(shared.resolve("dfs"));
        fs = dfs.getFileSystem();
        hdfs = SparkTestSupport.hdfsUri(dfs);
        Configuration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", hdfs);
        // One queue with the whole cluster, and no waiting for node locality (one node).
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
        conf.set("yarn.scheduler.capacity.node-locality-delay", "-1");
        // A build machine's disk may be nearly full, and ND4J's off-heap memory is not the JVM's heap.
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        conf.setInt("yarn.nodemanager.resource.memory-mb", 12288);   // the three applications at once
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
        yarn = new MiniYARNCluster(YarnClusterIT.class.getSimpleName(), 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        // start() can return before the ResourceManager has put its bound port in the configuration.
        Configuration live = yarn.getConfig();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (live.get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "the ResourceManager did not publish its address");
            Thread.sleep(100);
        }
        live.set("fs.defaultFS", hdfs);
        confDir = Files.createDirectories(shared.resolve("hadoop-conf"));
        for (String file : List.of("core-site.xml", "yarn-site.xml")) {
            try (OutputStream out = Files.newOutputStream(confDir.resolve(file))) {
                live.writeXml(out);
            }
        }
        // The build's Spark jars once on HDFS, world-readable, as a cluster's admin stages them for
        // spark.yarn.jars: YARN localizes them once per node and keeps them, instead of every application
        // uploading its own copy.
        fs.mkdirs(new org.apache.hadoop.fs.Path(SPARK_JARS));
        for (String jar : Files.readString(SparkTestSupport.sparkClasspathFile()).trim().split(":")) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(jar), new org.apache.hadoop.fs.Path(SPARK_JARS));
        }
        SparkTestSupport.fashionSubset(shared.resolve("train-idx3-ubyte.gz"), 2000);
        fs.mkdirs(new org.apache.hadoop.fs.Path("/data"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(shared.resolve("train-idx3-ubyte.gz").toString()),
                new org.apache.hadoop.fs.Path("/data/train-idx3-ubyte.gz"));
    }

    @AfterAll
    static void stopClusters() {
        if (yarn != null) {
            yarn.stop();
        }
        if (dfs != null) {
            dfs.shutdown();
        }
    }

    @TempDir
    Path dir;

    @Test
    void clientModeTrainsInOneAuthenticatedStageAcrossExecutorsAndTheModelRootsLatestScores() throws Exception {
        // Paths without a scheme are on the cluster's default file system, as for any Spark job. The rounds of the
        // epoch run as one barrier stage (--rounds stage) over the two executor JVMs, whose tasks exchange their
        // sums over Spark's transport, authenticated with the secret YARN gives the application and encrypted.
        SubmitScriptIT.Result trained = submit("--master", "yarn", "--deploy-mode", "client",
                "--conf", "spark.yarn.jars=" + hdfs + SPARK_JARS + "/*.jar",
                "--conf", "spark.authenticate=true", "--conf", "spark.network.crypto.enabled=true",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "train", "--input", "/data/train-idx3-ubyte.gz", "--test", "/data/train-idx3-ubyte.gz",
                "--model-root", "/models", "--epochs", "1", "--hidden", "64", "--latent-dim", "8",
                "--batch-size", "64", "--rounds", "stage");
        assertEquals(0, trained.code(), trained.output());
        assertEquals(FinalApplicationStatus.SUCCEEDED, application(trained).getFinalApplicationStatus());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/models/latest")), trained.output());

        // Each executor's log: the span ran with one task in each of the two JVMs, over the secured transport.
        Pattern span = Pattern.compile("rounds 0-\\d+, stage \\d+ attempt 0: 1 of the 2 tasks in this executor JVM "
                + "\\((\\d) of 2\\), which exchanges its sums with the others over Spark's transport \\(port \\d+, "
                + "authenticated and encrypted; ports swapped\\)");
        java.util.Set<String> jvms = new java.util.TreeSet<>();
        for (String log : containerLogs(application(trained).getApplicationId().toString())) {
            Matcher m = span.matcher(log);
            while (m.find()) {
                jvms.add(m.group(1));
            }
        }
        assertEquals(java.util.Set.of("1", "2"), jvms, "the span's line in both executors' logs");
        // The same options in jobs mode on a local Spark: the parameters the run must end with. After the YARN
        // application rather than beside it, which would slow its start; the class still takes cluster mode's time.
        Path localRun = dir.resolve("local");
        SubmitScriptIT.Result local = SubmitScriptIT.submit(dir, "--master", "local[2]", "train",
                "--input", shared.resolve("train-idx3-ubyte.gz").toString(), "--test", "none",
                "--output", localRun.toString(), "--epochs", "1", "--hidden", "64", "--latent-dim", "8",
                "--batch-size", "64");
        assertEquals(0, local.code(), local.output());
        String latest = read("/models/latest").trim();
        assertArrayEquals(ModelStore.load(new org.apache.hadoop.fs.Path(localRun.resolve("model.zip").toString()),
                        new Configuration()).parameters(),
                ModelStore.load(new org.apache.hadoop.fs.Path(hdfs + "/models/" + latest + "/model.zip"), fs.getConf())
                        .parameters(), "jobs mode's parameters");

        // The pointer file the job wrote, named as a user types it, by the default (local) master.
        SubmitScriptIT.Result scored = SubmitScriptIT.submit(dir, Map.of("HADOOP_CONF_DIR", confDir.toString()),
                "score", "--model", hdfs + "/models/latest", "--input", "/data/train-idx3-ubyte.gz",
                "--output", "/scores");
        assertEquals(0, scored.code(), scored.output());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/scores/_SUCCESS")), scored.output());
    }

    @Test
    void aFailingApplicationEndsFailedWithItsErrorLineAndPublishesNothing() throws Exception {
        // One attempt: a second would fail the same way (and resumes only runs that have a checkpoint).
        SubmitScriptIT.Result r = submit("--master", "yarn", "--deploy-mode", "cluster",
                "--conf", "spark.yarn.maxAppAttempts=1", "--conf", "spark.yarn.jars=" + hdfs + SPARK_JARS + "/*.jar",
                "train", "--input", hdfs + "/data/no-such-file", "--test", "none", "--output", hdfs + "/runs/failed",
                "--epochs", "1");
        assertNotEquals(0, r.code(), r.output());
        RMApp app = application(r);
        assertEquals(FinalApplicationStatus.FAILED, app.getFinalApplicationStatus());
        String diagnostics = app.getDiagnostics().toString();
        assertTrue(diagnostics.contains("error: " + hdfs + "/data/no-such-file: no such file")
                        && diagnostics.contains("(exit code 3)"),
                "the application's diagnostics carry the error line: " + diagnostics);
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/runs/failed")), "nothing published");
    }

    @Test
    void clusterModeWithALocalConfigFileSurvivesTheLossOfItsDriver() throws Exception {
        // The driver runs in the ApplicationMaster, the config file is on this machine's disk, and the build's Spark
        // jars are uploaded with the application. The AM's JVM is killed (SIGKILL) once the run has a checkpoint on
        // HDFS; YARN starts the application's second attempt, which continues from that checkpoint.
        Path conf = Files.writeString(dir.resolve("small.conf"), "hidden = 64\nlatent-dim = 8\nbatch-size = 64\n");
        Path log = Files.createTempFile(dir, "submit", ".log");
        List<String> args = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", "cluster"));
        args.addAll(containers());
        args.addAll(List.of("--conf", "spark.yarn.maxAppAttempts=2",
                "train", "--conf", conf.toString(), "--input", hdfs + "/data/train-idx3-ubyte.gz",
                "--test", hdfs + "/data/train-idx3-ubyte.gz", "--output", hdfs + "/runs/cluster", "--epochs", "12"));
        long started = System.nanoTime();
        Process submit = SubmitScriptIT.start(log, Map.of("HADOOP_CONF_DIR", confDir.toString()),
                args.toArray(String[]::new));
        org.apache.hadoop.fs.Path checkpoints = new org.apache.hadoop.fs.Path("/runs/.cluster.inprogress/checkpoints");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!(fs.exists(checkpoints) && fs.listStatus(checkpoints, p -> p.getName().endsWith(".ckpt")).length > 0)) {
            assertTrue(submit.isAlive(), "the application ended before its first checkpoint: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no checkpoint in 5 minutes: " + Files.readString(log));
            Thread.sleep(200);
        }
        Matcher id = APPLICATION_ID.matcher(Files.readString(log));
        assertTrue(id.find(), Files.readString(log));
        long am = applicationMasterPid(id.group());
        new ProcessBuilder("kill", "-9", Long.toString(am)).start().waitFor();
        assertTrue(submit.waitFor(6, TimeUnit.MINUTES), "the application did not end: " + Files.readString(log));
        System.out.printf("YarnClusterIT: cluster mode, the driver killed once, took %.0f s%n",
                (System.nanoTime() - started) / 1e9);
        SubmitScriptIT.Result r = new SubmitScriptIT.Result(submit.exitValue(), Files.readString(log));
        assertEquals(0, r.code(), r.output());
        RMApp app = application(r);
        assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
        assertEquals(2, app.getAppAttempts().size(), "a second attempt ran");
        for (String file : List.of("_SUCCESS", "model.zip", "metrics.jsonl", "manifest.json")) {
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/runs/cluster/" + file)), file + " on HDFS");
        }
        String used = read("/runs/cluster/config.conf");
        assertTrue(used.contains("latent-dim = 8") && used.contains("hidden = 64"), "the shipped file was read: " + used);
        assertEquals(List.of("cluster"), java.util.Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path("/runs"),
                p -> p.getName().contains("cluster"))).map(f -> f.getPath().getName()).toList(),
                "published once, nothing left beside it");
        assertEquals(12, read("/runs/cluster/metrics.jsonl").lines().count(), "every epoch, once");
        assertTrue(containerLog(id.group(), "_02_000001").contains("resuming at round"),
                "the second attempt resumed from the checkpoint");
    }

    /** The pid of the ApplicationMaster JVM of {@code application}'s first attempt. */
    private static long applicationMasterPid(String application) throws Exception {
        String container = application.replace("application_", "container_") + "_01_000001";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            java.util.Optional<ProcessHandle> am = ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                    .map(c -> c.contains("org.apache.spark.deploy.yarn.ApplicationMaster") && c.contains(container))
                    .orElse(false)).findFirst();
            if (am.isPresent()) {
                return am.get().pid();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no ApplicationMaster process of " + container);
    }

    /**
     * The stderr of a container of {@code application} whose id ends with {@code suffix}, from the NodeManager's
     * log folders (MiniYARNCluster keeps them under target/, named after the test class).
     */
    private static String containerLog(String application, String suffix) throws IOException {
        try (var files = Files.walk(Path.of("target", "test", "data", YarnClusterIT.class.getSimpleName()))) {
            Path log = files.filter(f -> f.getFileName().toString().equals("stderr")
                            && f.getParent().getFileName().toString().endsWith(suffix)
                            && f.getParent().getParent().getFileName().toString().equals(application))
                    .findFirst().orElseThrow(() -> new AssertionError("no log of a container " + suffix + " of "
                            + application));
            return Files.readString(log);
        }
    }

    /** The stderr of every container of {@code application} (MiniYARNCluster keeps them under target/). */
    private static List<String> containerLogs(String application) throws IOException {
        try (var files = Files.walk(Path.of("target", "test", "data", YarnClusterIT.class.getSimpleName()))) {
            List<String> logs = new ArrayList<>();
            for (Path log : files.filter(f -> f.getFileName().toString().equals("stderr")
                    && f.getParent().getParent().getFileName().toString().equals(application)).toList()) {
                logs.add(Files.readString(log));
            }
            return logs;
        }
    }

    /**
     * Small containers for a one-node cluster; the containers bind to loopback like everything in the tests, and
     * compute with the OpenBLAS kernels of a local run on this machine, as README tells users to set them.
     */
    private static List<String> containers() throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--num-executors", "2", "--executor-cores", "1",
                "--executor-memory", "1g", "--driver-memory", "1g", "--conf", "spark.executor.memoryOverhead=512m",
                "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1", "--conf", "spark.ui.enabled=false"));
        String coreType = SparkTestSupport.openBlasCoreType();
        if (!coreType.isEmpty()) {
            args.addAll(List.of("--conf", "spark.yarn.appMasterEnv.OPENBLAS_CORETYPE=" + coreType,
                    "--conf", "spark.executorEnv.OPENBLAS_CORETYPE=" + coreType));
        }
        return args;
    }

    private SubmitScriptIT.Result submit(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>();
        int job = List.of(args).indexOf(List.of(args).stream().filter(a -> a.equals("train") || a.equals("score"))
                .findFirst().orElseThrow());
        all.addAll(List.of(args).subList(0, job));
        all.addAll(containers());
        all.addAll(List.of(args).subList(job, args.length));
        long started = System.nanoTime();
        SubmitScriptIT.Result r = SubmitScriptIT.submit(dir, Map.of("HADOOP_CONF_DIR", confDir.toString()),
                all.toArray(String[]::new));
        System.out.printf("YarnClusterIT: %s took %.0f s%n", String.join(" ", args).replace(hdfs, "hdfs://nn"),
                (System.nanoTime() - started) / 1e9);
        return r;
    }

    /** The YARN application that submit.sh's output names, as the ResourceManager holds it. */
    private static RMApp application(SubmitScriptIT.Result r) {
        Matcher m = APPLICATION_ID.matcher(r.output());
        assertTrue(m.find(), "submit.sh names the YARN application: " + r.output());
        String id = m.group();
        return yarn.getResourceManager().getRMContext().getRMApps().values().stream()
                .filter(a -> a.getApplicationId().toString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("the ResourceManager knows " + id));
    }

    private static String read(String path) throws IOException {
        try (var in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
