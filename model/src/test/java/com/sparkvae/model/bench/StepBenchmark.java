package com.sparkvae.model.bench;

import com.sparkvae.model.Adam;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.HostArrays;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.OptimizerState;
import com.sparkvae.model.Shard;
import com.sparkvae.model.ShardTrainer;
import com.sparkvae.model.StepCoordinates;
import com.sparkvae.model.VaeParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step of the model module (minibatch draw, forward, backward, Adam) on the default 784-400-20
 * Bernoulli VAE, timed at several minibatch sizes: warm-up, then repeated measurements of many steps, reporting the
 * median and the spread ({@code -Dbench.warmup=S} seconds of warm-up first, 12 by default). Run with
 * {@code bench/kernel.sh [threads] [sizes...]}: the minibatch is split into
 * {@code threads} slices computed side by side (see {@link ShardTrainer}), ND4J's native ops run single-threaded.
 * Instead, {@code -Dblas.threads=T} gives the matrix products T BLAS threads (other ops stay single-threaded), and
 * {@code -Dnd4j.threads=T} gives ND4J T threads for everything; neither splits the minibatch.
 *
 * <p>{@code -Dbench.cold-steps=S} measures a whole training run instead: S steps from a cold JVM, no warm-up, timed
 * from the first step to the last, as the job's examples/s are (its JIT warm-up included, start-up excluded). A
 * 10-epoch run on Fashion-MNIST at minibatch 128 is 4690 steps.
 *
 * <p>Adding {@code -Dbench.replicas=R} makes that run the job's algorithm without Spark: R replicas, each on its own
 * thread with its own trainer, its own R-th of the rows and its share n / R of every minibatch, take their own optimiser
 * steps and are averaged here (parameters and moments) every {@code -Dbench.local-steps=K} steps, 128 by default as in
 * the job at 2 partitions; a round also ends where a tenth does, as the job's rounds end with each epoch. Compared
 * with the plain cold run, it shows what parameter averaging itself costs in one process; compared with the job, what
 * running it in Spark costs.
 */
public final class StepBenchmark {
    private static final double WARM_UP_SECONDS = Double.parseDouble(System.getProperty("bench.warmup", "12"));
    private static final long COLD_STEPS = Long.getLong("bench.cold-steps", 0);
    private static final int REPLICAS = Integer.getInteger("bench.replicas", 1);
    private static final int LOCAL_STEPS = Integer.getInteger("bench.local-steps", 128);

    private StepBenchmark() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {32, 128, 512};
        int nd4jThreads = Integer.getInteger("nd4j.threads", 1);
        int blasThreads = Integer.getInteger("blas.threads", nd4jThreads);
        int slices = nd4jThreads > 1 || blasThreads > 1 ? 1 : threads;
        Nd4j.getEnvironment().setMaxThreads(nd4jThreads);
        Nd4j.getEnvironment().setMaxMasterThreads(nd4jThreads);
        Nd4j.factory().blas().setMaxThreads(blasThreads);
        Architecture arch = Architecture.reference(784);
        Shard shard = randomShard(10_000, 784, 7);
        if (COLD_STEPS > 0 && REPLICAS > 1) {
            System.out.printf("parameter averaging in this process: %d replicas on a thread each, averaged every %d "
                    + "steps; %d ND4J thread(s), %d BLAS thread(s); model 784-400-20 Bernoulli, Adam%n", REPLICAS,
                    LOCAL_STEPS, nd4jThreads, blasThreads);
            coldRun(sizes, n -> new Averaging(arch, n, REPLICAS, LOCAL_STEPS));
            return;
        }
        System.out.printf("minibatch split into %d slice(s) on as many threads, %d ND4J thread(s), %d BLAS thread(s); "
                + "model 784-400-20 Bernoulli, Adam%n", slices, nd4jThreads, blasThreads);
        if (COLD_STEPS > 0) {
            coldRun(sizes, n -> {
                Run run = Run.fresh(arch, n, slices);
                return (count, part) -> run.steps(count, shard, n, new StepCoordinates(1, part, 0));
            });
            return;
        }
        System.out.printf("%10s %12s %14s %10s%n", "minibatch", "ms/step", "examples/s", "spread");
        for (int n : sizes) {
            Run run = Run.fresh(arch, n, slices);
            int steps = Math.max(10, 4096 / n);
            // Warm-up by time rather than by steps: the JIT needs seconds whatever the minibatch size, and longer when
            // every core computes (its compiler threads then get little CPU).
            long warmUpEnd = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
            while (System.nanoTime() < warmUpEnd) {
                run.steps(steps, shard, n, new StepCoordinates(1, 0, 0));
            }
            double[] msPerStep = new double[7];
            for (int rep = 0; rep < msPerStep.length; rep++) {
                long t0 = System.nanoTime();
                run.steps(steps, shard, n, new StepCoordinates(1, rep + 1, 0));
                msPerStep[rep] = (System.nanoTime() - t0) / 1e6 / steps;
            }
            Arrays.sort(msPerStep);
            double median = msPerStep[msPerStep.length / 2];
            System.out.printf("%10d %12.2f %14.0f %9.0f%%%n", n, median, n / median * 1000,
                    100 * (msPerStep[msPerStep.length - 1] - msPerStep[0]) / median);
        }
    }

    /**
     * One run of {@link #COLD_STEPS} steps per minibatch size, the first from a cold JVM (later sizes run warm, so
     * give one size for a cold figure): examples/s over the whole run, and of its first and last tenth; then a line
     * {@code tenths} with the seconds of each tenth (for a 10-epoch run, the seconds of each epoch's steps).
     */
    private static void coldRun(int[] sizes, IntFunction<Steps> training) {
        System.out.printf("%10s %8s %12s %14s %14s %14s%n", "minibatch", "steps", "seconds", "examples/s",
                "first 10%", "last 10%");
        for (int n : sizes) {
            Steps steps = training.apply(n);
            int tenth = (int) Math.max(1, COLD_STEPS / 10);
            int lastTenth = (int) (COLD_STEPS - 9L * tenth);   // the remainder goes to the last part
            double[] tenthSeconds = new double[10];
            long start = System.nanoTime();
            for (int part = 0; part < 10; part++) {
                long t0 = System.nanoTime();
                steps.take(part < 9 ? tenth : lastTenth, part);
                tenthSeconds[part] = (System.nanoTime() - t0) / 1e9;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%10d %8d %12.2f %14.0f %14.0f %14.0f%n", n, COLD_STEPS, seconds,
                    COLD_STEPS * n / seconds, tenth * n / tenthSeconds[0], lastTenth * n / tenthSeconds[9]);
            StringBuilder tenths = new StringBuilder("tenths");
            for (double t : tenthSeconds) {
                tenths.append(String.format(" %.3f", t));
            }
            System.out.println(tenths);
        }
    }

    /** A cold run's training, a tenth at a time: {@code take(count, part)} takes the {@code part}-th tenth's steps. */
    private interface Steps {
        void take(int count, int part);
    }

    /**
     * The job's parameter averaging in one process: each replica has its own trainer, parameters, moments and rows;
     * every round, each takes up to K local steps on its own thread, then this thread averages them into all replicas.
     */
    private static final class Averaging implements Steps {
        /** The rows a replica's trainer holds, as in the job, whose workspaces also take the evaluation's blocks. */
        private static final int JOB_CAPACITY = 256;

        private final Run[] replicas;
        private final Shard[] shards;
        private final int share;
        private final int localSteps;
        private final ExecutorService threads;

        Averaging(Architecture arch, int n, int count, int localSteps) {
            this.share = n / count;
            this.localSteps = localSteps;
            this.replicas = new Run[count];
            this.shards = new Shard[count];
            for (int r = 0; r < count; r++) {
                replicas[r] = Run.fresh(arch, Math.max(share, JOB_CAPACITY), 1);
                shards[r] = randomShard(10_000 / count, 784, 7 + r);
            }
            this.threads = Executors.newFixedThreadPool(count, task -> {
                Thread t = new Thread(task, "replica");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public void take(int count, int part) {
            for (int done = 0; done < count; done += localSteps) {
                int k = Math.min(localSteps, count - done);
                long round = (long) part * count + done;
                List<Future<?>> running = new ArrayList<>();
                for (int r = 0; r < replicas.length; r++) {
                    Run run = replicas[r];
                    Shard shard = shards[r];
                    StepCoordinates at = new StepCoordinates(1, round, r);
                    running.add(threads.submit(() -> run.steps(k, shard, share, at)));
                }
                for (Future<?> f : running) {
                    try {
                        f.get();
                    } catch (InterruptedException | ExecutionException e) {
                        throw new IllegalStateException("a replica failed", e);
                    }
                }
                average(Run::params);
                for (int m = 0; m < replicas[0].state().momentsRef().size(); m++) {
                    int moment = m;
                    average(run -> run.state().momentsRef().get(moment));
                }
            }
        }

        /** Replaces one vector of every replica by the replicas' mean of it. */
        private void average(Function<Run, float[]> vector) {
            float[] mean = vector.apply(replicas[0]);
            for (int r = 1; r < replicas.length; r++) {
                float[] v = vector.apply(replicas[r]);
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += v[i];
                }
            }
            float scale = 1f / replicas.length;
            for (int i = 0; i < mean.length; i++) {
                mean[i] *= scale;
            }
            for (int r = 1; r < replicas.length; r++) {
                System.arraycopy(mean, 0, vector.apply(replicas[r]), 0, mean.length);
            }
        }
    }

    /**
     * A training run's state: freshly initialised parameters, Adam and its moments, and a trainer for minibatches of up
     * to {@code capacity} rows.
     */
    private record Run(float[] params, Optimizer adam, OptimizerState state, ShardTrainer trainer) {
        static Run fresh(Architecture arch, int capacity, int slices) {
            float[] params = HostArrays.toFloatArray(VaeParameters.initialise(arch, 1, DataType.FLOAT).flat());
            Optimizer adam = Adam.withDefaults(1e-3);
            return new Run(params, adam, adam.initialState(params.length), new ShardTrainer(arch, capacity,
                    DataType.FLOAT, slices));
        }

        void steps(int count, Shard shard, int n, StepCoordinates at) {
            trainer.runSteps(params, state, adam, constantRates(count), shard, n, at);
        }
    }

    private static Shard randomShard(int rows, int dim, long seed) {
        float[] values = new float[rows * dim];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextDouble();
        }
        return new Shard() {
            @Override
            public long size() {
                return rows;
            }

            @Override
            public int dimension() {
                return dim;
            }

            @Override
            public void copyRows(long[] indices, int count, float[] dst) {
                for (int s = 0; s < count; s++) {
                    System.arraycopy(values, (int) indices[s] * dim, dst, s * dim, dim);
                }
            }

            @Override
            public void copyRange(long start, int count, float[] dst) {
                System.arraycopy(values, (int) start * dim, dst, 0, count * dim);
            }
        };
    }

    private static double[] constantRates(int steps) {
        double[] rates = new double[steps];
        Arrays.fill(rates, 1e-3);
        return rates;
    }
}
