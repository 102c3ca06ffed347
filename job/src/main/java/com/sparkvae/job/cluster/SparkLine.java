package com.sparkvae.job.cluster;

import com.sparkvae.job.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import org.apache.spark.SparkContext;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The job's one seam between the Spark lines it is built for: Spark 3.5 on Scala 2.12 (the default build) and Spark
 * 4.0.1+ on Scala 2.13 ({@code -Pspark-4}; 4.0.0 is refused, {@link #BROKEN_PARAMS}). One source tree compiles
 * against both; every call the job makes into Spark's Scala API goes through here, and this class also says which
 * line the jar was built for and refuses to start on a Spark of another.
 *
 * <p>What differs between the lines, and how the job stands to each difference:
 * <ul>
 *   <li>Scala collections. 2.13 deprecates {@code scala.collection.JavaConverters} and has
 *       {@code scala.jdk.javaapi.CollectionConverters}, which 2.12 lacks; {@code Seq} is {@code scala.collection.Seq}
 *       in 2.12 and {@code scala.collection.immutable.Seq} in 2.13. The job hands Spark no Scala collection:
 *       {@link #runOnEveryPartition} uses the {@code runJob} overload that runs on all partitions (no partition
 *       {@code Seq}), and a task reads its partition's Scala iterator through {@code hasNext}/{@code next}, which
 *       both libraries have.</li>
 *   <li>The internals {@link PartitionSums} relies on: {@code SparkContext.runJob} with a result handler, a public
 *       method of both lines, and treeAggregate's test for adding a level, identical in RDD.scala of 3.5.9 and
 *       4.2.0.</li>
 *   <li>Barrier stages ({@link #runBarrierStage}): Java has no {@code JavaRDD.barrier()}, so the stage goes
 *       through {@code RDDBarrier.mapPartitions} with a Scala function over Scala iterators, and {@link #taskSlots}
 *       asks the scheduler the question it asks itself before launching one ({@code maxNumConcurrentTasks}, package
 *       private in Scala and public in the bytecode, the same in 3.5.9 and 4.2.0).</li>
 *   <li>Servlets: Spark 4 moved its UI from {@code javax.servlet} to {@code jakarta.servlet}. The job uses neither;
 *       the tests' HDFS (Hadoop's shaded minicluster) runs beside either.</li>
 *   <li>ANSI SQL mode, on by default in Spark 4: it changes the results of SQL casts and arithmetic. The readers
 *       apply none: Parquet values are read as stored ({@code Row.get}, then {@code Number.floatValue}), so both
 *       lines read the same floats (SparkLineTest reads one file with ANSI on and off).</li>
 * </ul>
 * Nothing else in the job names a Scala type but {@code scala.Tuple2}, the same class in both.
 */
public final class SparkLine {
    private static final Logger LOG = LoggerFactory.getLogger(SparkLine.class);
    /** Written by the build next to the classes: the line this jar was compiled against. */
    private static final String RESOURCE = "/META-INF/spark-vae/spark-line.properties";

    /** What a task computes from its partition's rows, on an executor. */
    public interface PartitionTask<T, R> extends Serializable {
        R apply(int partition, Iterator<T> rows);
    }

    /** A Spark line and the versions of one build or one running Spark. */
    public record Versions(String spark, String scalaBinary) {
        /** The line as the artifacts are named: Spark's major.minor, an underscore, Scala's binary version. */
        public String line() {
            String[] v = spark.split("\\.");
            return v[0] + "." + (v.length > 1 ? v[1] : "0") + "_" + scalaBinary;
        }

        String major() {
            return spark.split("\\.")[0];
        }
    }

    private SparkLine() {
    }

    /** The Spark and Scala versions this jar was compiled against. */
    public static Versions builtFor() {
        Properties p = new Properties();
        try (InputStream in = SparkLine.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar: build it with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
        return new Versions(p.getProperty("spark.version"), p.getProperty("scala.binary.version"));
    }

    /** The full version of the Scala library this runs on (2.12.18, 2.13.18). */
    public static String scalaVersion() {
        return scala.util.Properties.versionNumberString();
    }

    /** The Spark and Scala versions of the JVM this runs in. */
    public static Versions running() {
        String scala = scalaVersion();
        int second = scala.indexOf('.', scala.indexOf('.') + 1);
        return new Versions(org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                second < 0 ? scala : scala.substring(0, second));
    }

    /**
     * Refuses to start on a Spark this jar cannot run on: another Scala binary version or another Spark major
     * version (a jar for 3.5_2.12 on Spark 4 fails later, inside a round, with a {@code NoSuchMethodError}). Another
     * minor of the same major runs, with a warning: the line the jar was compiled against is the one tested.
     */
    public static void requireCompatible() {
        String problem = mismatch(builtFor(), running());
        if (problem != null) {
            throw new ConfigException(problem);
        }
    }

    /**
     * The one release of a supported line that is refused: Spark 4.0.0, whose SPARK-52259 broke the constructors of
     * Spark ML's {@code Param} that libraries built against another Spark call (fixed in 4.0.1).
     */
    static final String BROKEN_PARAMS = "4.0.0";

    /** Why a jar built for {@code jar} cannot run on {@code spark}, or null when it can. */
    static String mismatch(Versions jar, Versions spark) {
        if (spark.spark().equals(BROKEN_PARAMS)) {
            return "Spark " + BROKEN_PARAMS + " is not supported: its SPARK-52259 breaks the Spark ML Params of "
                    + "libraries built against another Spark (fixed in 4.0.1); run on Spark 4.0.1 or newer";
        }
        if (!jar.scalaBinary().equals(spark.scalaBinary()) || !jar.major().equals(spark.major())) {
            return "this application jar is for Spark " + jar.line() + " (built against Spark " + jar.spark()
                    + ", Scala " + jar.scalaBinary() + "), but the Spark running it is " + spark.spark()
                    + " on Scala " + spark.scalaBinary() + ": submit spark-vae-app-" + spark.line()
                    + ".jar (mvn package" + (spark.major().equals("4") ? " -Pspark-4" : "") + " -Dspark.version="
                    + spark.spark() + " -Dscala.binary.version=" + spark.scalaBinary() + ")";
        }
        if (!jar.line().equals(spark.line())) {
            LOG.warn("this application jar was built against Spark {} (line {}) and runs on Spark {}", jar.spark(),
                    jar.line(), spark.spark());
        }
        return null;
    }

    /**
     * Runs {@code task} on every partition of {@code rdd} in one job and hands each result to {@code handler} on the
     * driver as it arrives (one at a time, in no set order), with the partition's index.
     */
    public static <T, R> void runOnEveryPartition(JavaRDD<T> rdd, PartitionTask<T, R> task, BiConsumer<Integer, R> handler,
                                           Class<R> type) {
        ClassTag<R> tag = ClassTag$.MODULE$.apply(type);
        rdd.context().runJob(rdd.rdd(), new TaskOnRows<>(task), new ResultHandler<>(handler), tag);
    }

    /**
     * Runs {@code task} on every partition of {@code rdd} as one barrier stage, all tasks at once, and returns their
     * results in partition order. A task that fails fails the stage, which Spark then aborts: the caller retries.
     */
    public static <T, R> List<R> runBarrierStage(JavaRDD<T> rdd, PartitionTask<T, R> task, Class<R> type) {
        ClassTag<R> tag = ClassTag$.MODULE$.apply(type);
        return new JavaRDD<>(rdd.rdd().barrier().mapPartitions(new BarrierTaskOnRows<>(task), false, tag), tag)
                .collect();
    }

    /**
     * The tasks the cluster can run at once now, in Spark's default resource profile: what a barrier stage needs at
     * least one of per partition (local[N]: N divided by {@code spark.task.cpus}).
     */
    public static int taskSlots(JavaSparkContext sc) {
        SparkContext c = sc.sc();
        return c.maxNumConcurrentTasks(c.resourceProfileManager().defaultResourceProfile());
    }

    /** How long Spark waits for executors to register when an application starts (30 s unless set). */
    public static final String RESOURCES_WAIT = "spark.scheduler.maxRegisteredResourcesWaitingTime";

    /**
     * The cluster's task slots once it has {@code wanted}, or after {@code waitMillis} if sooner: a lost executor's
     * replacement registers with the driver a few seconds after the loss, or never.
     */
    public static int awaitTaskSlots(JavaSparkContext sc, int wanted, long waitMillis) {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        int slots = taskSlots(sc);
        while (slots < wanted && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return taskSlots(sc);
            }
            slots = taskSlots(sc);
        }
        return slots;
    }

    /**
     * Whether Spark runs this application under dynamic allocation, by the test its scheduler applies before it
     * refuses a barrier stage ({@code Utils.isDynamicAllocationEnabled}, package private in Scala and public in the
     * bytecode; it takes a {@code SparkConf} in 3.5 and the {@code ReadOnlySparkConf} a {@code SparkConf} is in 4):
     * the setting on, and a cluster manager, as local mode ignores it (but for Spark's
     * {@code spark.dynamicAllocation.testing}).
     */
    public static boolean dynamicAllocation(JavaSparkContext sc) {
        return org.apache.spark.util.Utils.isDynamicAllocationEnabled(sc.getConf());
    }

    /**
     * Whether Spark encrypts its RPC with TLS ({@code spark.ssl.rpc.enabled}, Spark 4 on; 3.5 has no TLS for RPC)
     * while the stage mode's exchange ({@link PeerTransport}) would go unencrypted: it uses Spark's authentication
     * and AES encryption ({@code spark.authenticate}, {@code spark.network.crypto.enabled}) but not its TLS.
     */
    public static boolean tlsWithoutNetworkCrypto(SparkConf conf, String sparkVersion) {
        boolean tls = !sparkVersion.startsWith("3.") && conf.getBoolean("spark.ssl.rpc.enabled", false);
        boolean crypto = conf.getBoolean("spark.authenticate", false)
                && conf.getBoolean("spark.network.crypto.enabled", false);
        return tls && !crypto;
    }

    /**
     * Why Spark would refuse a barrier stage over {@code rdd}, or empty when it would not: every RDD the stage
     * computes through (every dependency but a shuffle, cached or not, as Spark's check walks them) must have the
     * stage's number of partitions, which a union of several inputs does not.
     */
    public static java.util.Optional<String> barrierChainProblem(JavaRDD<?> rdd) {
        int partitions = rdd.getNumPartitions();
        java.util.ArrayDeque<org.apache.spark.rdd.RDD<?>> pending = new java.util.ArrayDeque<>();
        pending.add(rdd.rdd());
        while (!pending.isEmpty()) {
            org.apache.spark.rdd.RDD<?> r = pending.poll();
            if (r.getNumPartitions() != partitions) {
                return java.util.Optional.of(r + ": " + r.getNumPartitions() + " partitions against the stage's "
                        + partitions);
            }
            var dependencies = r.dependencies().iterator();   // a Seq of another package in each Scala line
            while (dependencies.hasNext()) {
                org.apache.spark.Dependency<?> d = dependencies.next();
                if (!(d instanceof org.apache.spark.ShuffleDependency<?, ?, ?>)) {   // a shuffle ends the stage
                    pending.add(d.rdd());
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** A barrier stage's task: the partition's Scala iterator in, one result out. */
    private static final class BarrierTaskOnRows<T, R>
            extends AbstractFunction1<scala.collection.Iterator<T>, scala.collection.Iterator<R>>
            implements Serializable {
        private final PartitionTask<T, R> task;

        BarrierTaskOnRows(PartitionTask<T, R> task) {
            this.task = task;
        }

        @Override
        public scala.collection.Iterator<R> apply(scala.collection.Iterator<T> rows) {
            R result = new TaskOnRows<>(task).apply(TaskContext.get(), rows);
            return new scala.collection.AbstractIterator<>() {
                private boolean taken;

                @Override
                public boolean hasNext() {
                    return !taken;
                }

                @Override
                public R next() {
                    if (taken) {
                        throw new java.util.NoSuchElementException();
                    }
                    taken = true;
                    return result;
                }
            };
        }
    }

    /**
     * The task as Spark's runJob takes it. A named class, not a lambda: Spark's closure cleaner then has nothing to
     * scan (it inspects only Scala closures); serialising it with the task is the only check it needs.
     */
    private static final class TaskOnRows<T, R> extends AbstractFunction2<TaskContext, scala.collection.Iterator<T>, R>
            implements Serializable {
        private final PartitionTask<T, R> task;

        TaskOnRows(PartitionTask<T, R> task) {
            this.task = task;
        }

        @Override
        public R apply(TaskContext context, scala.collection.Iterator<T> rows) {
            return task.apply(context.partitionId(), new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public T next() {
                    return rows.next();
                }
            });
        }
    }

    /** Spark's result handler, {@code (Int, U) => Unit}, as a Java callback. */
    private static final class ResultHandler<R> extends AbstractFunction2<Object, R, BoxedUnit> {
        private final BiConsumer<Integer, R> handler;

        ResultHandler(BiConsumer<Integer, R> handler) {
            this.handler = handler;
        }

        @Override
        public BoxedUnit apply(Object partition, R result) {
            handler.accept((Integer) partition, result);
            return BoxedUnit.UNIT;
        }
    }
}
