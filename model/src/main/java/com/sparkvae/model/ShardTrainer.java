package com.sparkvae.model;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The stochastic estimator of the gradient of −ELBO over a shard of N_s points, and local optimisation with it.
 *
 * <p>A minibatch draws i_1..i_n uniformly from the shard, with replacement, and estimates the gradient of the
 * shard's summed negative ELBO without bias:
 * <pre>
 *   ĝ = (N_s / n) Σ_{s=1..n} ∇(−ELBO(x_{i_s}))     with   E[ĝ] = Σ_{i=1..N_s} ∇(−ELBO(x_i)).
 * </pre>
 * Optimisers take the per-example gradient ĝ / N_s (see {@link Optimizer}). Indices and ε come from the streams of
 * (seed, round, partition, step), so rerunning a round on any machine repeats it exactly.
 *
 * <p>With {@code threads} &gt; 1, each minibatch is split into that many slices of rows whose gradient sums are
 * computed side by side, each on its own buffers, and added: the same estimator, from the same draws, using the
 * cores that ND4J's own threads leave idle at this model's sizes (a second ND4J thread does not speed up a minibatch
 * of 128; two slices of 64 on two cores do).
 *
 * <p>Owns working buffers for minibatches of up to {@code capacity} rows; not thread-safe, meant to be reused.
 */
public final class ShardTrainer {
    /**
     * Parameters per piece of an update. The update reads the slices' gradients, sums them, steps the optimiser and
     * copies the new parameters to ND4J memory piece by piece, so that a piece's values stay in cache across all of
     * that instead of streaming 650k-long vectors through memory several times.
     */
    private static final int UPDATE_PIECE = 8192;

    private final ElboGradient elbo;
    private final VaeParameters device;
    private final NativeVector deviceParams;
    private final float[] hostGradient;
    private final long[] indices;
    private final float[] staging;
    private final Slice[] slices;
    private final float[][][] pieceScratch;
    private final float[][] draws;
    private final java.util.concurrent.ExecutorService helpers;

    /** A single-threaded trainer. */
    public ShardTrainer(Architecture arch, int capacity, DataType type) {
        this(arch, capacity, type, 1);
    }

    public ShardTrainer(Architecture arch, int capacity, DataType type, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.elbo = new ElboGradient(arch, capacity, type);
        ParameterLayout layout = new ParameterLayout(arch);
        this.device = VaeParameters.zeros(layout, type);
        this.deviceParams = new NativeVector(device.flat());
        this.hostGradient = new float[Math.toIntExact(layout.size())];
        this.indices = new long[capacity];
        this.staging = new float[capacity * arch.inputDim()];
        this.slices = new Slice[threads];
        slices[0] = new Slice(elbo, device, VaeParameters.zeros(layout, type),
                org.nd4j.linalg.factory.Nd4j.create(type, new long[] {capacity, arch.inputDim()}, 'c'));
        int sliceCapacity = (capacity + threads - 1) / threads;
        for (int k = 1; k < threads; k++) {
            slices[k] = new Slice(new ElboGradient(arch, sliceCapacity, type), device, VaeParameters.zeros(layout, type),
                    org.nd4j.linalg.factory.Nd4j.create(type, new long[] {sliceCapacity, arch.inputDim()}, 'c'));
        }
        this.pieceScratch = new float[threads][2][UPDATE_PIECE];
        this.draws = threads > 1 ? new float[arch.samples()][capacity * arch.latentDim()] : null;
        this.helpers = threads > 1 ? helperPool(threads - 1) : null;
    }

    /**
     * One slice's buffers: its own working arrays and gradient, so slices can run on different threads; the
     * parameters in ND4J memory, which the slices only read, are shared. Used by one thread at a time.
     */
    private static final class Slice {
        final ElboGradient elbo;
        final VaeParameters device;
        final VaeParameters gradient;
        final INDArray batch;
        final NativeVector deviceGradient;
        /**
         * The view of the batch buffer's first {@code rowsCount} rows, kept while the count stays: a task's share of
         * the minibatch is usually smaller than the buffer (sized for evaluation blocks) and the same at every
         * step, and a new view each step costs ND4J's indexing code, and the JIT's time compiling it, for nothing.
         */
        private INDArray rows;
        private int rowsCount = -1;

        Slice(ElboGradient elbo, VaeParameters device, VaeParameters gradient, INDArray batch) {
            this.elbo = elbo;
            this.device = device;
            this.gradient = gradient;
            this.batch = batch;
            this.deviceGradient = new NativeVector(gradient.flat());
        }

        /** The first {@code count} rows of the batch buffer. */
        INDArray rows(int count) {
            if (count != rowsCount) {
                rows = HostArrays.firstRows(batch, count);
                rowsCount = count;
            }
            return rows;
        }

        /** Writes the unscaled gradient sum over rows [from, from + count) of {@code staging} into the slice's gradient. */
        LossSums gradientSum(float[] staging, int from, int count, int dim, GaussianNoise noise) {
            INDArray x = rows(count);
            HostArrays.copyInto(staging, from * dim, count * dim, x);
            return elbo.writeGradient(device, x, noise, gradient);
        }
    }

    private static java.util.concurrent.ExecutorService helperPool(int count) {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(count, count, 30,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "shard-trainer-slice");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);   // idle trainers hold no threads
        return pool;
    }

    /** The number of slices a minibatch is split into. */
    public int threads() {
        return slices.length;
    }

    public int capacity() {
        return elbo.capacity();
    }

    public Architecture architecture() {
        return elbo.architecture();
    }

    /**
     * Takes one optimiser step per entry of {@code learningRates}, at that rate, on minibatches of {@code batchSize}
     * points of {@code shard}, updating {@code params} (on heap, the master copy) and {@code state} in place. Returns
     * the loss sums of the minibatches seen (before each step).
     */
    public LossSums runSteps(float[] params, OptimizerState state, Optimizer optimizer, double[] learningRates,
                             Shard shard, int batchSize, StepCoordinates at) {
        HostArrays.copyInto(params, device.flat());
        LossSums total = LossSums.ZERO;
        for (int step = 0; step < learningRates.length; step++) {
            LossSums sums = computeGradients(shard, batchSize, at, step);
            int parts = slicesFor(batchSize);
            double estimatorScale = (double) shard.size() / batchSize;       // N_s / n: ĝ estimates the shard's sum
            double perExample = estimatorScale / shard.size();                // the optimiser's convention: ĝ / N_s
            update(params, optimizer.withLearningRate(learningRates[step]), perExample, state, hostGradient, parts);
            state.advance();
            total = total.plus(sums);
        }
        return total;
    }

    /**
     * Writes the unscaled sum Σ_s ∇(−ELBO(x_{i_s})) over one minibatch into {@code out}, for parameters given on
     * heap; for synchronous SGD, where the driver scales the sums of all partitions together.
     */
    public LossSums minibatchGradientSum(float[] params, Shard shard, int batchSize, StepCoordinates at, long step,
                                         float[] out) {
        if (out.length != params.length) {
            throw new IllegalArgumentException("gradient buffer of " + out.length + " for " + params.length
                    + " parameters");
        }
        HostArrays.copyInto(params, device.flat());
        LossSums sums = computeGradients(shard, batchSize, at, step);
        update(params, null, 0, null, out, slicesFor(batchSize));
        return sums;
    }

    /** Draws a minibatch and writes its gradient sums into the slices' gradients, the slices side by side. */
    private LossSums computeGradients(Shard shard, int batchSize, StepCoordinates at, long step) {
        drawMinibatch(shard, batchSize, at, step);
        int parts = slicesFor(batchSize);
        int dim = shard.dimension();
        if (parts == 1) {
            return slices[0].gradientSum(staging, 0, batchSize, dim, new GaussianNoise(at.noise(step)));
        }
        // Split: every ε is drawn here, in the order the unsplit computation draws them, and each slice replays its
        // rows' share, so only the order of additions differs.
        int latent = elbo.architecture().latentDim();
        GaussianNoise source = new GaussianNoise(at.noise(step));
        for (float[] sample : draws) {
            source.draw(sample, batchSize * latent);
        }
        List<java.util.concurrent.Future<LossSums>> pending = new java.util.ArrayList<>(parts - 1);
        for (int k = 1; k < parts; k++) {
            Slice slice = slices[k];
            int from = (int) ((long) batchSize * k / parts);
            int count = (int) ((long) batchSize * (k + 1) / parts) - from;
            pending.add(helpers.submit(() -> slice.gradientSum(staging, from, count, dim,
                    GaussianNoise.replaying(draws, from * latent))));
        }
        LossSums total = slices[0].gradientSum(staging, 0, batchSize / parts, dim, GaussianNoise.replaying(draws, 0));
        for (java.util.concurrent.Future<LossSums> p : pending) {
            total = total.plus(await(p));
        }
        return total;
    }

    /** The slices a minibatch of {@code batchSize} rows is split into: one row each at least. */
    private int slicesFor(int batchSize) {
        return Math.min(slices.length, batchSize);
    }

    /**
     * Sums the first {@code parts} slices' gradients into {@code gradient} piece by piece and, when {@code optimizer}
     * is given, steps {@code params} with each piece (without advancing the state) and copies them to ND4J memory.
     * With several slices, each thread takes its share of the parameter vector.
     */
    private void update(float[] params, Optimizer optimizer, double scale, OptimizerState state, float[] gradient,
                        int parts) {
        int n = params.length;
        int threads = slices.length;
        List<java.util.concurrent.Future<?>> pending = new java.util.ArrayList<>(threads - 1);
        for (int k = 1; k < threads; k++) {
            int from = (int) ((long) n * k / threads);
            int to = (int) ((long) n * (k + 1) / threads);
            float[][] scratch = pieceScratch[k];
            pending.add(helpers.submit(() -> updateRange(params, optimizer, scale, state, gradient, parts, from, to,
                    scratch)));
        }
        updateRange(params, optimizer, scale, state, gradient, parts, 0, n / threads, pieceScratch[0]);
        for (java.util.concurrent.Future<?> p : pending) {
            await(p);
        }
    }

    private void updateRange(float[] params, Optimizer optimizer, double scale, OptimizerState state,
                             float[] gradient, int parts, int from, int to, float[][] scratch) {
        for (int start = from; start < to; start += UPDATE_PIECE) {
            int count = Math.min(UPDATE_PIECE, to - start);
            if (parts == 1) {
                slices[0].deviceGradient.get(start, gradient, start, count);
            } else {
                // Summed in a piece buffer at offset 0, where the additions vectorise, then copied into place.
                float[] piece = scratch[0];
                slices[0].deviceGradient.get(start, piece, 0, count);
                for (int k = 1; k < parts; k++) {
                    slices[k].deviceGradient.addTo(start, piece, count, scratch[1]);
                }
                System.arraycopy(piece, 0, gradient, start, count);
            }
            if (optimizer != null) {
                optimizer.stepRange(params, gradient, scale, state, start, start + count);
                deviceParams.put(start, params, count);
            }
        }
    }

    /** Draws the minibatch's indices from the stream of {@code step} and copies its rows into the staging array. */
    private void drawMinibatch(Shard shard, int batchSize, StepCoordinates at, long step) {
        if (batchSize < 1 || batchSize > capacity()) {
            throw new IllegalArgumentException("minibatch of " + batchSize + " does not fit capacity " + capacity());
        }
        if (shard.size() < 1) {
            throw new IllegalArgumentException("cannot draw a minibatch from an empty shard");
        }
        SplittableRandom pick = at.minibatch(step);
        for (int s = 0; s < batchSize; s++) {
            indices[s] = pick.nextLong(shard.size());
        }
        shard.copyRows(indices, batchSize, staging);
    }

    private static <T> T await(java.util.concurrent.Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a minibatch slice was computed", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** {@link #evaluate(VaeParameters, Shard, long, int)} for parameters given on heap. */
    public LossSums evaluate(float[] params, Shard shard, long seed, int partition) {
        HostArrays.copyInto(params, device.flat());     // the next training call loads the parameters again
        return evaluate(device, shard, seed, partition);
    }

    /**
     * Adds the <em>unscaled</em> sum Σ_s ∇(−ELBO(x_{i_s})) over one minibatch of {@code batchSize} points into
     * {@code into}; for synchronous SGD, where the driver scales the sums of all partitions together.
     */
    public LossSums sumMinibatchGradient(VaeParameters params, Shard shard, int batchSize, StepCoordinates at,
                                         long step, VaeParameters into) {
        drawMinibatch(shard, batchSize, at, step);
        INDArray x = rows(batchSize);
        HostArrays.copyInto(staging, 0, batchSize * shard.dimension(), x);
        return elbo.accumulateGradient(params, x, new GaussianNoise(at.noise(step)), into);
    }

    /**
     * The loss sums of every row of {@code shard}, in blocks of the capacity, with ε from the evaluation stream of
     * (seed, partition): the same draws at every call, so that successive evaluations compare parameters only.
     */
    public LossSums evaluate(VaeParameters params, Shard shard, long seed, int partition) {
        GaussianNoise noise = new GaussianNoise(
                RandomStreams.stream(seed, RandomStreams.Purpose.EVALUATION, 0, partition, 0));
        LossSums total = LossSums.ZERO;
        for (long start = 0; start < shard.size(); start += capacity()) {
            int count = (int) Math.min(capacity(), shard.size() - start);
            shard.copyRange(start, count, staging);
            INDArray x = rows(count);
            HostArrays.copyInto(staging, 0, count * shard.dimension(), x);
            total = total.plus(elbo.evaluate(params, x, noise));
        }
        return total;
    }

    private INDArray rows(int count) {
        return slices[0].rows(count);
    }
}
