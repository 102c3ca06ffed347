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
import java.util.Arrays;
import java.util.SplittableRandom;
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
 */
public final class StepBenchmark {
    private static final double WARM_UP_SECONDS = Double.parseDouble(System.getProperty("bench.warmup", "12"));
    private static final long COLD_STEPS = Long.getLong("bench.cold-steps", 0);

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
        Shard shard = randomShard(10_000, 784);
        System.out.printf("minibatch split into %d slice(s) on as many threads, %d ND4J thread(s), %d BLAS thread(s); "
                + "model 784-400-20 Bernoulli, Adam%n", slices, nd4jThreads, blasThreads);
        if (COLD_STEPS > 0) {
            coldRun(arch, shard, slices, sizes);
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
    private static void coldRun(Architecture arch, Shard shard, int slices, int[] sizes) {
        System.out.printf("%10s %8s %12s %14s %14s %14s%n", "minibatch", "steps", "seconds", "examples/s",
                "first 10%", "last 10%");
        for (int n : sizes) {
            Run run = Run.fresh(arch, n, slices);
            int tenth = (int) Math.max(1, COLD_STEPS / 10);
            int lastTenth = (int) (COLD_STEPS - 9L * tenth);   // the remainder goes to the last part
            double[] tenthSeconds = new double[10];
            long start = System.nanoTime();
            for (int part = 0; part < 10; part++) {
                long t0 = System.nanoTime();
                run.steps(part < 9 ? tenth : lastTenth, shard, n, new StepCoordinates(1, part, 0));
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

    /** A training run's state: freshly initialised parameters, Adam and its moments, and a trainer for minibatch n. */
    private record Run(float[] params, Optimizer adam, OptimizerState state, ShardTrainer trainer) {
        static Run fresh(Architecture arch, int n, int slices) {
            float[] params = HostArrays.toFloatArray(VaeParameters.initialise(arch, 1, DataType.FLOAT).flat());
            Optimizer adam = Adam.withDefaults(1e-3);
            return new Run(params, adam, adam.initialState(params.length), new ShardTrainer(arch, n, DataType.FLOAT,
                    slices));
        }

        void steps(int count, Shard shard, int n, StepCoordinates at) {
            trainer.runSteps(params, state, adam, constantRates(count), shard, n, at);
        }
    }

    private static Shard randomShard(int rows, int dim) {
        float[] values = new float[rows * dim];
        SplittableRandom r = new SplittableRandom(7);
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
