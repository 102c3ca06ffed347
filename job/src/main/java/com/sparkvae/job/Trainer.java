package com.sparkvae.job;

import com.sparkvae.model.Architecture;
import com.sparkvae.model.HostArrays;
import com.sparkvae.model.LossSums;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.OptimizerState;
import com.sparkvae.model.VaeParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rounds of a training run, on the driver. Each round broadcasts the current state, lets every partition work
 * on its shard ({@link RoundTasks}), sums the partitions' results with {@code treeAggregate}, destroys the
 * broadcast, and updates the state here:
 * <ul>
 *   <li>{@code --sync params}: every partition takes K local steps from the broadcast parameters and optimiser
 *       moments; the new state is their average weighted by shard size.</li>
 *   <li>{@code --sync gradient}: every partition sums the gradient over its share of one minibatch; the driver
 *       forms the estimator (N/n) Σ and takes one optimiser step with its per-example value Σ / n.</li>
 * </ul>
 * An epoch is ⌈N / n⌉ steps of the global minibatch n, i.e. N points processed; rounds never straddle epochs.
 */
final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final JavaSparkContext sc;
    private final TrainConfig cfg;

    Trainer(JavaSparkContext sc, TrainConfig cfg) {
        this.sc = sc;
        this.cfg = cfg;
    }

    /** The final parameters and each epoch's metrics. */
    record Result(float[] parameters, List<EpochMetrics> epochs) {
    }

    Result train(Dataset train, Optional<Dataset> test, Consumer<EpochMetrics> onEpoch) {
        Architecture arch = cfg.architecture(train.dim());
        Optimizer optimizer = cfg.optimizerWithRate(cfg.lr());
        VaeParameters params = VaeParameters.initialise(arch, cfg.seed(), DataType.FLOAT);
        OptimizerState state = optimizer.initialState(params.layout().size(), DataType.FLOAT);
        long n = train.size();
        int[] batchSizes = RoundPlan.splitBatch(cfg.batchSize(), train.shardSizes());
        int maxBatch = 0;
        for (int b : batchSizes) {
            maxBatch = Math.max(maxBatch, b);
        }
        RoundPlan plan = new RoundPlan(arch, optimizer, batchSizes, Math.max(maxBatch, 256), cfg.seed());
        long stepsPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        int stepsPerRound = cfg.gradientSync() ? 1 : cfg.localSteps();
        LOG.info("training {} on {} examples of {} features in {} partitions (shards {}); minibatch {} split as {}; "
                        + "{} steps per epoch, {} per round; {} parameters",
                arch, n, train.dim(), train.partitions(), java.util.Arrays.toString(train.shardSizes()),
                cfg.batchSize(), java.util.Arrays.toString(batchSizes), stepsPerEpoch, stepsPerRound,
                params.layout().size());

        List<EpochMetrics> history = new ArrayList<>();
        long round = 0;
        long start = System.nanoTime();
        double trainSeconds = 0;
        for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            LossSums epochLoss = LossSums.ZERO;
            for (long step = 0; step < stepsPerEpoch; ) {
                int k = (int) Math.min(stepsPerRound, stepsPerEpoch - step);
                sc.setJobDescription(String.format("spark-vae round %d (epoch %d, steps %d-%d of %d)",
                        round, epoch, step + 1, step + k, stepsPerEpoch));
                LossSums roundLoss = cfg.gradientSync()
                        ? gradientRound(train, plan, params, state, optimizer, round)
                        : averagingRound(train, plan, params, state, round, k);
                if (!roundLoss.isFinite()) {
                    throw new TrainingDivergedException("round " + round + " (epoch " + epoch
                            + ") produced a non-finite loss (reconstruction " + roundLoss.reconstruction() + ", KL "
                            + roundLoss.kl() + "); lower --lr");
                }
                epochLoss = epochLoss.plus(roundLoss);
                step += k;
                round++;
            }
            double epochTrainSec = (System.nanoTime() - epochStart) / 1e9;
            trainSeconds += epochTrainSec;
            OptionalDouble testLoss = OptionalDouble.empty();
            if (test.isPresent()) {
                sc.setJobDescription("spark-vae evaluation after epoch " + epoch);
                testLoss = OptionalDouble.of(evaluate(test.get(), plan, params).meanNegElbo());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch, round, epochLoss.meanNegElbo(), epochLoss.meanReconstruction(),
                    epochLoss.meanKl(), testLoss, epochLoss.count() / epochTrainSec, elapsed, trainSeconds);
            history.add(m);
            double eta = elapsed / epoch * (cfg.epochs() - epoch);
            LOG.info(String.format("epoch %d/%d  train -ELBO %.2f (recon %.2f, KL %.2f)%s  %.0f examples/s  "
                            + "elapsed %.0fs  ETA %.0fs",
                    epoch, cfg.epochs(), m.trainNegElbo(), m.recon(), m.kl(),
                    testLoss.isPresent() ? String.format("  test -ELBO %.2f", testLoss.getAsDouble()) : "",
                    m.examplesPerSec(), elapsed, eta));
            onEpoch.accept(m);
        }
        return new Result(HostArrays.toFloatArray(params.flat()), history);
    }

    private LossSums averagingRound(Dataset train, RoundPlan plan, VaeParameters params, OptimizerState state,
                                    long round, int k) {
        float[] vector = ReplicaWorkspace.concat(params.flat(), state.moments());
        Broadcast<RoundInput> input = sc.broadcast(new RoundInput(vector, state.iteration(), cfg.lr()));
        try {
            ReplicaSum sum = train.blocks().mapPartitionsWithIndex(
                            (p, it) -> RoundTasks.localSteps(p, it, input, plan, round, k), true)
                    .treeAggregate(ReplicaSum.empty(), ReplicaSum::merge, ReplicaSum::merge, cfg.aggregationDepth());
            float[] mean = sum.mean();
            int size = (int) params.layout().size();
            HostArrays.copyInto(mean, 0, size, params.flat());
            for (int m = 0; m < state.moments().size(); m++) {
                HostArrays.copyInto(mean, size * (1 + m), size, state.moments().get(m));
            }
            state.setIteration(state.iteration() + k);
            return sum.losses();
        } finally {
            input.destroy();
        }
    }

    private LossSums gradientRound(Dataset train, RoundPlan plan, VaeParameters params, OptimizerState state,
                                   Optimizer optimizer, long round) {
        Broadcast<RoundInput> input = sc.broadcast(
                new RoundInput(HostArrays.toFloatArray(params.flat()), state.iteration(), cfg.lr()));
        try {
            ReplicaSum sum = train.blocks().mapPartitionsWithIndex(
                            (p, it) -> RoundTasks.gradientSum(p, it, input, plan, round), true)
                    .treeAggregate(ReplicaSum.empty(), ReplicaSum::merge, ReplicaSum::merge, cfg.aggregationDepth());
            long drawn = sum.losses().count();                        // n = Σ_p n_p
            double estimatorScale = (double) train.size() / drawn;    // N / n
            // ĝ = (N/n) Σ estimates the gradient of the summed −ELBO; the optimiser takes ĝ / N (= Σ / n).
            float[] perExample = sum.dividedBy(train.size() / estimatorScale);
            INDArray gradient = params.flat().dup();
            HostArrays.copyInto(perExample, gradient);
            optimizer.stepInPlace(params.flat(), gradient, state);
            return sum.losses();
        } finally {
            input.destroy();
        }
    }

    private LossSums evaluate(Dataset data, RoundPlan plan, VaeParameters params) {
        Broadcast<RoundInput> input = sc.broadcast(new RoundInput(HostArrays.toFloatArray(params.flat()), 0, cfg.lr()));
        try {
            return data.blocks().mapPartitionsWithIndex((p, it) -> RoundTasks.evaluate(p, it, input, plan), true)
                    .treeAggregate(LossSums.ZERO, LossSums::plus, LossSums::plus, cfg.aggregationDepth());
        } finally {
            input.destroy();
        }
    }
}
