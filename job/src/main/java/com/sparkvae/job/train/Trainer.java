package com.sparkvae.job.train;

import com.sparkvae.job.DataException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainingDivergedException;
import com.sparkvae.job.cluster.PartitionSums;
import com.sparkvae.job.cluster.ProcessMemory;
import com.sparkvae.job.cluster.ReplicaSum;
import com.sparkvae.job.cluster.ReplicaWorkspace;
import com.sparkvae.job.cluster.RoundInput;
import com.sparkvae.job.cluster.RoundPlan;
import com.sparkvae.job.cluster.RoundTasks;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.TrainingState;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.HostArrays;
import com.sparkvae.model.LossSums;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.OptimizerState;
import com.sparkvae.model.ParameterLayout;
import com.sparkvae.model.VaeParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rounds of a training run, on the driver. Each round broadcasts the current state, lets every partition work
 * on its shard ({@link RoundTasks}), sums the partitions' results ({@link PartitionSums}), destroys the
 * broadcast, and updates the state here:
 * <ul>
 *   <li>{@code --sync params}: every partition takes K local steps from the broadcast parameters and optimiser
 *       moments; the new state is their average weighted by shard size.</li>
 *   <li>{@code --sync gradient}: every partition sums the gradient over its share of one minibatch; the driver
 *       forms the estimator (N/n) Σ and takes one optimiser step with its per-example value Σ / n.</li>
 * </ul>
 * An epoch is ⌈N / n⌉ steps of the global minibatch n, i.e. N points processed; rounds never straddle epochs.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final JavaSparkContext sc;
    private final TrainConfig cfg;

    Trainer(JavaSparkContext sc, TrainConfig cfg) {
        this.sc = sc;
        this.cfg = cfg;
    }

    /**
     * The final parameters, each epoch's metrics, the schedule followed, and the peak resident memory of the driver
     * and of the largest executor during this process's rounds (the same process in local mode).
     */
    record Result(float[] parameters, List<EpochMetrics> epochs, ScheduleRule.Schedule schedule,
                  long peakDriverBytes, long peakExecutorBytes) {
    }

    /**
     * What one round returns: the loss sums of the minibatches it saw, the compute time of its slowest task and of
     * all its tasks together, how many tasks contributed, and the largest executor's peak resident memory.
     */
    private record RoundResult(LossSums losses, double slowestTaskSeconds, double totalTaskSeconds, int tasks,
                               long peakExecutorBytes) {

        RoundResult(ReplicaSum sum) {
            this(sum.losses(), sum.slowestTaskSeconds(), sum.totalTaskSeconds(), sum.tasks(), sum.peakExecutorBytes());
        }

        /** A task's mean compute time: against the slowest, what the round loses waiting for stragglers. */
        double meanTaskSeconds() {
            return totalTaskSeconds / Math.max(1, tasks);
        }

        /**
         * The least time the round's compute can take on {@code slots} task slots: its slowest task, or all its
         * tasks' compute spread evenly over the slots when there are more tasks than slots. The round's wall time
         * less this is Spark's overhead.
         */
        double computeSeconds(int slots) {
            return Math.max(slowestTaskSeconds, totalTaskSeconds / slots);
        }
    }

    /** Called after each epoch with the metrics so far, and with each state worth checkpointing. */
    interface Listener {
        void epochDone(List<EpochMetrics> history);

        void checkpoint(TrainingState state);
    }

    /** A fresh start: parameters drawn from the seed, optimiser state zero. */
    TrainingState initialState(int inputDim) {
        Architecture arch = cfg.architecture(inputDim);
        float[] params = HostArrays.toFloatArray(VaeParameters.initialise(arch, cfg.seed(), DataType.FLOAT).flat());
        OptimizerState state = cfg.optimizerWithRate(cfg.lr()).initialState(params.length);
        return TrainingState.initial(ReplicaWorkspace.concat(params, state.momentsRef()), cfg.lr());
    }

    Result train(ShardedData train, Optional<ShardedData> test, TrainingState from, Listener listener) {
        Architecture arch = cfg.architecture(train.dim());
        Optimizer optimizer = cfg.optimizerWithRate(cfg.lr());
        ParameterLayout layout = new ParameterLayout(arch);
        float[] params = new float[Math.toIntExact(layout.size())];
        OptimizerState state = optimizer.initialState(params.length);
        load(from, params, state);
        long n = train.size();
        int[] batchSizes = RoundPlan.splitBatch(cfg.batchSize(), train.shardSizes());
        int maxBatch = 0;
        for (int b : batchSizes) {
            maxBatch = Math.max(maxBatch, b);
        }
        RoundPlan plan = new RoundPlan(arch, optimizer, batchSizes, Math.max(maxBatch, 256), cfg.seed());
        long stepsPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        int replicas = Math.max(1, train.nonEmptyShards());   // empty shards sit every round out
        ScheduleRule.Schedule schedule = ScheduleRule.choose(cfg, replicas, stepsPerEpoch);
        int stepsPerRound = cfg.gradientSync() ? 1 : schedule.localSteps();
        int taskSlots = Math.max(1, sc.defaultParallelism());
        LOG.info("training {} on {} examples of {} features in {} partitions (shards {}); minibatch {} split as {}; "
                        + "{} steps per epoch, {} per round; {} parameters",
                arch, n, train.dim(), train.partitions(), java.util.Arrays.toString(train.shardSizes()),
                cfg.batchSize(), java.util.Arrays.toString(batchSizes), stepsPerEpoch, stepsPerRound, layout.size());
        LOG.info(schedule.describe());
        if (from.round() > 0) {
            LOG.info("resuming at round {} (epoch {}, step {} of {})", from.round(), from.epoch(), from.stepInEpoch(),
                    stepsPerEpoch);
        }

        List<EpochMetrics> history = new ArrayList<>(from.history());
        double lr = from.learningRate();
        int halvings = from.halvings();
        long round = from.round();
        long step = from.stepInEpoch();
        LossSums epochLoss = from.epochLoss();
        double trainSeconds = from.trainSeconds();
        double computeSeconds = 0;
        double meanTaskSeconds = 0;
        long peakExecutorBytes = 0;
        long start = System.nanoTime();
        for (int epoch = from.epoch(); epoch <= cfg.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            double epochTrainBefore = trainSeconds;
            double computeBefore = computeSeconds;
            double meanTaskBefore = meanTaskSeconds;
            long roundBefore = round;
            long countBefore = epochLoss.count(); // non-zero when resuming mid-epoch
            while (step < stepsPerEpoch) {
                int k = (int) Math.min(stepsPerRound, stepsPerEpoch - step);
                sc.setJobDescription(String.format("spark-vae round %d (epoch %d, steps %d-%d of %d)",
                        round, epoch, step + 1, step + k, stepsPerEpoch));
                long roundStart = System.nanoTime();
                float[] goodVector = ReplicaWorkspace.concat(params, state.momentsRef());
                long goodIteration = state.iteration();
                long firstStep = (epoch - 1) * stepsPerEpoch + step;
                RoundResult result;
                double[] rates;
                while (true) {
                    rates = schedule.rates().rates(firstStep, k, Math.pow(0.5, halvings));
                    result = cfg.gradientSync()
                            ? gradientRound(train, plan, params, state, optimizer.withLearningRate(rates[0]), round)
                            : averagingRound(train, plan, goodVector, params, state, round, rates);
                    if (result.losses().isFinite() && allFinite(params)) {
                        break;
                    }
                    if (halvings >= cfg.maxLrHalvings()) {
                        throw new TrainingDivergedException(String.format("round %d (epoch %d) diverged (reconstruction"
                                + " %s, KL %s) at learning rate %g after %d halvings of --lr %g; lower --lr or "
                                + "check the data", round, epoch, result.losses().reconstruction(), result.losses().kl(),
                                rates[0], halvings, cfg.lr()));
                    }
                    // Roll back to the state before the round and retry it, with the same draws, at half the rate.
                    ReplicaWorkspace.split(goodVector, params, state.momentsRef());
                    state.setIteration(goodIteration);
                    halvings++;
                    LOG.warn(String.format("round %d (epoch %d) produced a non-finite loss; rolled back and retrying "
                            + "at half the learning rate, %g (halving %d of at most %d)", round, epoch, rates[0] / 2,
                            halvings, cfg.maxLrHalvings()));
                }
                lr = rates[k - 1];
                trainSeconds += (System.nanoTime() - roundStart) / 1e9;
                computeSeconds += result.computeSeconds(taskSlots);
                meanTaskSeconds += result.meanTaskSeconds();
                peakExecutorBytes = Math.max(peakExecutorBytes, result.peakExecutorBytes());
                epochLoss = epochLoss.plus(result.losses());
                step += k;
                round++;
                if (cfg.checkpointEvery() > 0 && round % cfg.checkpointEvery() == 0 && step < stepsPerEpoch) {
                    listener.checkpoint(snapshot(round, epoch, step, params, state, epochLoss, trainSeconds,
                            from.elapsedSeconds() + (System.nanoTime() - start) / 1e9, history, lr, halvings));
                }
            }
            OptionalDouble testLoss = OptionalDouble.empty();
            if (test.isPresent()) {
                sc.setJobDescription("spark-vae evaluation after epoch " + epoch);
                testLoss = OptionalDouble.of(evaluate(test.get(), plan, params).meanNegElbo());
            }
            double elapsed = from.elapsedSeconds() + (System.nanoTime() - start) / 1e9;
            // Training throughput of this process in this epoch: rounds only, evaluation and start-up excluded.
            double examplesPerSec = (epochLoss.count() - countBefore) / Math.max(trainSeconds - epochTrainBefore, 1e-9);
            EpochMetrics m = new EpochMetrics(epoch, round, epochLoss.meanNegElbo(), epochLoss.meanReconstruction(),
                    epochLoss.meanKl(), testLoss, examplesPerSec, elapsed, trainSeconds, lr);
            history.add(m);
            long rounds = round - roundBefore;
            double roundMs = 1000 * (trainSeconds - epochTrainBefore) / Math.max(1, rounds);
            double computeMs = 1000 * (computeSeconds - computeBefore) / Math.max(1, rounds);
            double meanTaskMs = 1000 * (meanTaskSeconds - meanTaskBefore) / Math.max(1, rounds);
            LOG.info(String.format("epoch %d: %d rounds, %.1f ms each: %.1f ms computing (the slowest task, or all "
                            + "tasks over %d task slots; a task's mean %.1f ms), %.1f ms (%.0f%%) Spark overhead "
                            + "(broadcast, scheduling, aggregation, driver update)", epoch, rounds, roundMs, computeMs,
                    taskSlots, meanTaskMs, roundMs - computeMs, 100 * (roundMs - computeMs) / roundMs));
            LOG.info(String.format("epoch %d: peak resident memory so far: driver %s, largest executor %s", epoch,
                    ProcessMemory.mib(ProcessMemory.peakResidentBytes()), ProcessMemory.mib(peakExecutorBytes)));
            double eta = (System.nanoTime() - epochStart) / 1e9 * (cfg.epochs() - epoch);
            LOG.info(String.format("epoch %d/%d  train -ELBO %.2f (recon %.2f, KL %.2f)%s  %.0f examples/s  "
                            + "elapsed %.0fs  ETA %.0fs",
                    epoch, cfg.epochs(), m.trainNegElbo(), m.recon(), m.kl(),
                    testLoss.isPresent() ? String.format("  test -ELBO %.2f", testLoss.getAsDouble()) : "",
                    m.examplesPerSec(), elapsed, eta));
            listener.epochDone(history);
            step = 0;
            epochLoss = LossSums.ZERO;
            listener.checkpoint(snapshot(round, epoch + 1, 0, params, state, epochLoss, trainSeconds, elapsed, history,
                    lr, halvings));
        }
        return new Result(params, history, schedule, ProcessMemory.peakResidentBytes(), peakExecutorBytes);
    }

    private static TrainingState snapshot(long round, int epoch, long step, float[] params, OptimizerState state,
                                          LossSums epochLoss, double trainSeconds, double elapsed,
                                          List<EpochMetrics> history, double lr, int halvings) {
        return new TrainingState(round, epoch, step, state.iteration(),
                ReplicaWorkspace.concat(params, state.momentsRef()), epochLoss, trainSeconds, elapsed, history, lr,
                halvings);
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static void load(TrainingState from, float[] params, OptimizerState state) {
        long expected = (long) params.length * (1 + state.momentsRef().size());
        if (from.vector().length != expected) {
            throw new DataException("the saved state holds " + from.vector().length + " values; this model needs "
                    + expected);
        }
        ReplicaWorkspace.split(from.vector(), params, state.momentsRef());
        state.setIteration(from.iteration());
    }

    /**
     * @param vector the parameters and moments as they stand before the round (see {@link RoundInput}); only read,
     *     so the caller keeps it to roll back to
     */
    private RoundResult averagingRound(ShardedData train, RoundPlan plan, float[] vector, float[] params,
                                       OptimizerState state, long round, double[] rates) {
        Broadcast<RoundInput> input = sc.broadcast(new RoundInput(vector, state.iteration(), rates));
        try {
            ReplicaSum sum = PartitionSums.sum(train.blocks(),
                    (p, it) -> RoundTasks.localSteps(p, it, input, plan, round), ReplicaSum.empty(),
                    ReplicaSum::merge, cfg.aggregationDepth(), ReplicaSum.class);
            ReplicaWorkspace.split(sum.mean(), params, state.momentsRef());
            state.setIteration(state.iteration() + rates.length);
            return new RoundResult(sum);
        } finally {
            input.destroy();
        }
    }

    private RoundResult gradientRound(ShardedData train, RoundPlan plan, float[] params, OptimizerState state,
                                   Optimizer optimizer, long round) {
        Broadcast<RoundInput> input = sc.broadcast(new RoundInput(params.clone(), state.iteration(),
                new double[] {optimizer.learningRate()}));
        try {
            ReplicaSum sum = PartitionSums.sum(train.blocks(),
                    (p, it) -> RoundTasks.gradientSum(p, it, input, plan, round), ReplicaSum.empty(),
                    ReplicaSum::merge, cfg.aggregationDepth(), ReplicaSum.class);
            long drawn = sum.losses().count();                        // n = Σ_p n_p
            double estimatorScale = (double) train.size() / drawn;    // N / n
            // ĝ = (N/n) Σ estimates the gradient of the summed −ELBO; the optimiser takes ĝ / N (= Σ / n).
            double perExample = estimatorScale / train.size();          // = 1 / n
            optimizer.stepInPlace(params, sum.dividedBy(1.0), perExample, state);
            return new RoundResult(sum);
        } finally {
            input.destroy();
        }
    }

    /** The mean negative ELBO per example of {@code data} under a model of any architecture. */
    double meanNegElbo(ShardedData data, Architecture arch, float[] params) {
        RoundPlan plan = new RoundPlan(arch, cfg.optimizerWithRate(cfg.lr()), new int[data.partitions()], 256, cfg.seed());
        return evaluate(data, plan, params).meanNegElbo();
    }

    private LossSums evaluate(ShardedData data, RoundPlan plan, float[] params) {
        Broadcast<RoundInput> input = sc.broadcast(new RoundInput(params.clone(), 0, new double[0]));
        try {
            return PartitionSums.sum(data.blocks(), (p, it) -> RoundTasks.evaluate(p, it, input, plan), LossSums.ZERO,
                    LossSums::plus, cfg.aggregationDepth(), LossSums.class);
        } finally {
            input.destroy();
        }
    }
}
