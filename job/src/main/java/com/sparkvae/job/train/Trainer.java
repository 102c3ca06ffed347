package com.sparkvae.job.train;

import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.cluster.PartitionSums;
import com.sparkvae.job.cluster.ProcessMemory;
import com.sparkvae.job.cluster.ReplicaWorkspace;
import com.sparkvae.job.cluster.RoundInput;
import com.sparkvae.job.cluster.RoundPlan;
import com.sparkvae.job.cluster.RoundTasks;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.TrainingState;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.FeatureTransform;
import com.sparkvae.model.Likelihood;
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
 * A training run's epochs on the driver: the schedule chosen from the data's partitions, the rounds of each epoch
 * ({@link RoundRunner}), the evaluation after each epoch, the epoch's log lines and metrics, and the states worth
 * checkpointing. An epoch is ⌈N / n⌉ steps of the global minibatch n, i.e. N points processed; rounds never
 * straddle epochs.
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
     * The final parameters, each epoch's metrics, the schedule followed and the local steps of its last rounds, and
     * the peak resident memory of the driver and of the largest executor during this process's rounds (the same
     * process in local mode).
     */
    record Result(float[] parameters, List<EpochMetrics> epochs, ScheduleRule.Schedule schedule, int localSteps,
                  long peakDriverBytes, long peakExecutorBytes) {
    }

    /** Called after each epoch with the metrics so far, and with each state worth checkpointing. */
    interface Listener {
        void epochDone(List<EpochMetrics> history);

        void checkpoint(TrainingState state);
    }

    /** A fresh start: parameters drawn from the seed, optimiser state (and outer buffer) zero. */
    TrainingState initialState(int inputDim, ModelFeatures features) {
        Architecture arch = cfg.architecture(inputDim);
        float[] params = HostArrays.toFloatArray(VaeParameters.initialise(arch, cfg.seed(), DataType.FLOAT).flat());
        OptimizerState state = cfg.optimizerWithRate(cfg.lr()).initialState(params.length);
        return TrainingState.initial(ReplicaWorkspace.concat(params, state.momentsRef()), cfg.lr(), features);
    }

    Result train(ShardedData train, Optional<ShardedData> test, TrainingState from, Listener listener) {
        StageRounds.Start roundsStart = StageRounds.start(sc, cfg, train);
        boolean stageRounds = roundsStart == StageRounds.Start.STAGE;
        Architecture arch = cfg.architecture(train.dim());
        Optimizer optimizer = cfg.optimizerWithRate(cfg.lr());
        ParameterLayout layout = new ParameterLayout(arch);
        long n = train.size();
        int[] batchSizes = RoundPlan.splitBatch(cfg.batchSize(), train.shardSizes());
        int maxBatch = 0;
        for (int b : batchSizes) {
            maxBatch = Math.max(maxBatch, b);
        }
        FeatureTransform transform = from.features().transform();
        RoundPlan plan = new RoundPlan(arch, optimizer, batchSizes, Math.max(maxBatch, 256), cfg.seed(), transform);
        double inDataUnits = logJacobian(arch, transform);
        long stepsPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        int replicas = Math.max(1, train.nonEmptyShards());   // empty shards sit every round out
        ScheduleRule.Schedule schedule = ScheduleRule.choose(cfg, replicas, stepsPerEpoch, stageRounds);
        DriverState state = new DriverState(Math.toIntExact(layout.size()), optimizer, schedule.outer());
        state.load(from.vector(), from.iteration());
        int taskSlots = Math.max(1, sc.defaultParallelism());
        RoundLength length = new RoundLength(cfg, schedule, stepsPerEpoch, from.localSteps(), taskSlots);
        LOG.info("training {} on {} examples of {} features in {} partitions (shards {}); minibatch {} split as {}; "
                        + "{} steps per epoch, {} per round; {} parameters",
                arch, n, train.dim(), train.partitions(), java.util.Arrays.toString(train.shardSizes()),
                cfg.batchSize(), java.util.Arrays.toString(batchSizes), stepsPerEpoch, length.steps(), layout.size());
        LOG.info(schedule.describe());
        if (from.round() > 0) {
            LOG.info("resuming at round {} (epoch {}, step {} of {})", from.round(), from.epoch(), from.stepInEpoch(),
                    stepsPerEpoch);
        }

        Rounds rounds = roundsStart == StageRounds.Start.JOBS
                ? new RoundRunner(sc, cfg, train, plan, schedule, state, from.halvings())
                : new StageRounds(sc, cfg, train, plan, schedule, state, from.halvings(), roundsStart);
        List<EpochMetrics> history = new ArrayList<>(from.history());
        double lr = from.learningRate();
        long round = from.round();
        long step = from.stepInEpoch();
        LossSums epochLoss = from.epochLoss();
        double trainSeconds = from.trainSeconds();
        long peakExecutorBytes = 0;
        long start = System.nanoTime();
        for (int epoch = from.epoch(); epoch <= cfg.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            RoundStatistics stats = new RoundStatistics(taskSlots);
            long countBefore = epochLoss.count(); // non-zero when resuming mid-epoch
            while (step < stepsPerEpoch) {
                int[] span = span(rounds.spans(), round, step, stepsPerEpoch, length.steps());
                long lastStep = step;
                for (int k : span) {
                    lastStep += k;
                }
                sc.setJobDescription(span.length == 1
                        ? String.format("spark-vae round %d (epoch %d, steps %d-%d of %d)", round, epoch, step + 1,
                                lastStep, stepsPerEpoch)
                        : String.format("spark-vae rounds %d-%d (epoch %d, steps %d-%d of %d)", round,
                                round + span.length - 1, epoch, step + 1, lastStep, stepsPerEpoch));
                for (Rounds.Outcome outcome : rounds.run(round, epoch, (epoch - 1) * stepsPerEpoch + step, span)) {
                    lr = outcome.lastRate();
                    trainSeconds += outcome.wallSeconds();
                    stats.add(outcome.round(), outcome.wallSeconds());
                    length.roundDone(outcome.round(), outcome.wallSeconds(), outcome.steps());
                    epochLoss = epochLoss.plus(outcome.round().losses());
                    step += outcome.steps();
                    round++;
                    // A span ends at a checkpoint's round, so the state is this round's when one is due.
                    if (checkpointDue(round, step, stepsPerEpoch)) {
                        listener.checkpoint(new TrainingState(round, epoch, step, state.optimizer.iteration(),
                                state.savedVector(), epochLoss, trainSeconds,
                                from.elapsedSeconds() + (System.nanoTime() - start) / 1e9, history, lr,
                                rounds.halvings(), length.chosen(), from.features()));
                    }
                }
            }
            peakExecutorBytes = Math.max(peakExecutorBytes, stats.peakExecutorBytes());
            OptionalDouble testLoss = OptionalDouble.empty();
            if (test.isPresent()) {
                sc.setJobDescription("spark-vae evaluation after epoch " + epoch);
                testLoss = OptionalDouble.of(evaluate(test.get(), plan, state.params).meanNegElbo() + inDataUnits);
            }
            double elapsed = from.elapsedSeconds() + (System.nanoTime() - start) / 1e9;
            // Training throughput of this process in this epoch: rounds only, evaluation and start-up excluded.
            double examplesPerSec = (epochLoss.count() - countBefore) / Math.max(stats.wallSeconds(), 1e-9);
            EpochMetrics m = new EpochMetrics(epoch, round, epochLoss.meanNegElbo() + inDataUnits,
                    epochLoss.meanReconstruction() + inDataUnits, epochLoss.meanKl(), testLoss, examplesPerSec,
                    elapsed, trainSeconds, lr, stats.roundMs(), stats.overheadMs());
            history.add(m);
            LOG.info(stats.describe(epoch));
            length.epochDone(epoch).ifPresent(LOG::info);
            LOG.info(RoundStatistics.memory(epoch, peakExecutorBytes));
            LOG.info(progress(m, cfg.epochs(), (System.nanoTime() - epochStart) / 1e9 * (cfg.epochs() - epoch)));
            listener.epochDone(history);
            step = 0;
            epochLoss = LossSums.ZERO;
            listener.checkpoint(new TrainingState(round, epoch + 1, 0, state.optimizer.iteration(),
                    state.savedVector(), epochLoss, trainSeconds, elapsed, history, lr, rounds.halvings(),
                    length.chosen(), from.features()));
        }
        return new Result(state.params, history, schedule, length.steps(), ProcessMemory.peakResidentBytes(),
                peakExecutorBytes);
    }

    /** Whether a checkpoint is due after round {@code round} (counted from 1) ends at step {@code step} of the epoch. */
    private boolean checkpointDue(long round, long step, long stepsPerEpoch) {
        return cfg.checkpointEvery() > 0 && round % cfg.checkpointEvery() == 0 && step < stepsPerEpoch;
    }

    /**
     * The local steps of the rounds to run next, from round {@code round} at step {@code step} of the epoch: one
     * round, or with {@code spans} every round up to the epoch's end or the next checkpoint, whichever comes first.
     */
    private int[] span(boolean spans, long round, long step, long stepsPerEpoch, int localSteps) {
        List<Integer> steps = new ArrayList<>();
        long r = round;
        long s = step;
        do {
            int k = (int) Math.min(localSteps, stepsPerEpoch - s);
            steps.add(k);
            s += k;
            r++;
        } while (spans && s < stepsPerEpoch && !checkpointDue(r, s, stepsPerEpoch));
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** An epoch's progress line: its losses, throughput, the time so far and the time still to go. */
    private static String progress(EpochMetrics m, int epochs, double etaSeconds) {
        return String.format("epoch %d/%d  train -ELBO %.2f (recon %.2f, KL %.2f)%s  %.0f examples/s%s  elapsed "
                        + "%.0fs  ETA %.0fs", m.epoch(), epochs, m.trainNegElbo(), m.recon(), m.kl(),
                m.testNegElbo().isPresent() ? String.format("  test -ELBO %.2f", m.testNegElbo().getAsDouble()) : "",
                m.examplesPerSec(), m.roundMs().isPresent() ? String.format("  round %.1f ms (%.1f ms beyond "
                        + "compute)", m.roundMs().getAsDouble(), m.roundOverheadMs().orElse(0)) : "",
                m.elapsedSec(), etaSeconds);
    }

    /**
     * The mean negative ELBO per example of {@code data}, in the data's units, under a model of any architecture
     * whose rows go through {@code transform}.
     */
    double meanNegElbo(ShardedData data, Architecture arch, float[] params, FeatureTransform transform) {
        RoundPlan plan = new RoundPlan(arch, cfg.optimizerWithRate(cfg.lr()), new int[data.partitions()], 256,
                cfg.seed(), transform);
        return evaluate(data, plan, params).meanNegElbo() + logJacobian(arch, transform);
    }

    /**
     * What a negative log-density over the transformed rows gains when stated over the rows as given (under the
     * Gaussian likelihood, a density); the Bernoulli likelihood models values in [0, 1] as they reach it.
     */
    static double logJacobian(Architecture arch, FeatureTransform transform) {
        return arch.likelihood() instanceof Likelihood.Gaussian ? transform.logJacobian() : 0;
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
