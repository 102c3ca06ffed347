package com.sparkvae.model;

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
 * <p>Owns working buffers for minibatches of up to {@code capacity} rows; not thread-safe, meant to be reused.
 */
public final class ShardTrainer {
    private final ElboGradient elbo;
    private final VaeParameters device;
    private final VaeParameters gradient;
    private final float[] hostGradient;
    private final INDArray batch;
    private final long[] indices;
    private final float[] staging;

    public ShardTrainer(Architecture arch, int capacity, DataType type) {
        this.elbo = new ElboGradient(arch, capacity, type);
        ParameterLayout layout = new ParameterLayout(arch);
        this.device = VaeParameters.zeros(layout, type);
        this.gradient = VaeParameters.zeros(layout, type);
        this.hostGradient = new float[Math.toIntExact(layout.size())];
        this.batch = org.nd4j.linalg.factory.Nd4j.create(type, new long[] {capacity, arch.inputDim()}, 'c');
        this.indices = new long[capacity];
        this.staging = new float[capacity * arch.inputDim()];
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
        LossSums total = LossSums.ZERO;
        for (int step = 0; step < learningRates.length; step++) {
            LossSums sums = minibatchGradientSum(params, shard, batchSize, at, step, hostGradient);
            double estimatorScale = (double) shard.size() / batchSize;       // N_s / n: ĝ estimates the shard's sum
            double perExample = estimatorScale / shard.size();                // the optimiser's convention: ĝ / N_s
            optimizer.withLearningRate(learningRates[step]).stepInPlace(params, hostGradient, perExample, state);
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
        HostArrays.copyInto(params, device.flat());
        gradient.flat().assign(0);
        LossSums sums = sumMinibatchGradient(device, shard, batchSize, at, step, gradient);
        HostArrays.copyFrom(gradient.flat(), out);
        return sums;
    }

    /** {@link #evaluate(VaeParameters, Shard, long, int)} for parameters given on heap. */
    public LossSums evaluate(float[] params, Shard shard, long seed, int partition) {
        HostArrays.copyInto(params, device.flat());
        return evaluate(device, shard, seed, partition);
    }

    /**
     * Adds the <em>unscaled</em> sum Σ_s ∇(−ELBO(x_{i_s})) over one minibatch of {@code batchSize} points into
     * {@code into}; for synchronous SGD, where the driver scales the sums of all partitions together.
     */
    public LossSums sumMinibatchGradient(VaeParameters params, Shard shard, int batchSize, StepCoordinates at,
                                         long step, VaeParameters into) {
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
        return count == capacity() ? batch
                : batch.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, count),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
    }
}
