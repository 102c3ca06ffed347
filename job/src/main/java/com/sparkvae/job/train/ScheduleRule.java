package com.sparkvae.job.train;

import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.OuterKind;
import com.sparkvae.model.LearningRateSchedule;
import com.sparkvae.model.OuterOptimizer;

/**
 * Chooses a run's optimisation schedule from the number of replicas P (the partitions that hold data) and the run's
 * length, so that a user who changes {@code --partitions} does not retune. Each part can be overridden by its own
 * option; {@code --lr} stays what one process would use at the per-partition minibatch.
 *
 * <p>Why each part (measurements in docs/schedule.md and docs/measurements.md):
 * <ul>
 *   <li>Peak rate --lr × P. Averaging P replicas keeps the mean of their steps: the model moves about as far per
 *       round as one replica would, while P times the data went in. Raising the rate P-fold gives back one process's
 *       progress per example (the linear scaling rule of Goyal et al., "Accurate, Large Minibatch SGD", 2017).</li>
 *   <li>Warm-up over the first epoch (at most a tenth of the run): a raised rate from the first step, while Adam's
 *       moments are still empty and the initial gradients large, wastes the start (Goyal et al.).</li>
 *   <li>Cosine decay over the last quarter of the run: replicas spread around their average by an amount that grows
 *       with the rate and the local steps (Stich, "Local SGD Converges Fast and Communicates Little", ICLR 2019); a
 *       closing decay removes that spread and the minibatch noise.</li>
 *   <li>Local steps 512 / P², at least 16 with {@code --rounds jobs} and at least 4 with {@code --rounds stage}.
 *       Each Adam step moves a weight by about the rate, in a direction the minibatch noise makes largely
 *       independent of the last, so the replicas spread like random walks: by about rate × √K after K local steps.
 *       As the rate grows P-fold, K shrinks P²-fold to hold that spread at its value at 2 partitions (128 steps at
 *       2 × --lr). The minibatch does not enter: with Adam's normalised steps, a step moves a weight by about the
 *       rate whatever the minibatch. The floor depends on what a round costs. A Spark job per round costs tens to
 *       hundreds of milliseconds beyond its compute, so jobs mode keeps 16: it halves the rounds at 8 partitions,
 *       where 512 / P² gives 8, and the outer momentum makes up what the longer rounds cost there; at 16 partitions
 *       it costs some quality for a quarter of the rounds. Inside one stage a round costs less, so the rule goes
 *       down to 4 steps: 8 at 8 partitions (as good as 16 there), 4 at 16 (better than 16 there, at either
 *       minibatch measured; docs/schedule.md). Under
 *       {@code --local-steps auto} the steps may grow after the first epoch, up to 1024 / P² (a spread √2 times the
 *       rule's, which measured nearly free at 2 partitions, while twice the rule's steps at 8 did not), while
 *       Spark's measured share of a round is above its target ({@link LocalStepsChoice}).</li>
 *   <li>Outer step: heavy-ball momentum 0.3 on the averaged update ({@link OuterOptimizer.Momentum}). It carries
 *       part of each round's update into the next, which more than makes up for the rounds saved. Where the rule
 *       gives fewer than 8 local steps (stage mode from 9 partitions on), the average itself: Adam's own momentum
 *       spans about ten steps, so over shorter rounds the outer momentum counts it twice (at 16 partitions, 4 steps
 *       under momentum ended behind plain averaging, and 2 steps diverged; docs/schedule.md).</li>
 * </ul>
 * With one replica there is no average to compensate for: the run is the plain optimiser at {@code --lr}.
 */
public final class ScheduleRule {
    private ScheduleRule() {
    }

    /** A run's schedule: the rate of every step, and the local steps between two averages. */
    record Schedule(int replicas, long stepsPerEpoch, LearningRateSchedule rates, int localSteps,
                    int maxLocalSteps, OuterOptimizer outer) {

        /** Whether the local steps are chosen after the first epoch ({@link LocalStepsChoice}). */
        boolean choosesLocalSteps() {
            return maxLocalSteps > localSteps;
        }

        private String describeLocalSteps() {
            return choosesLocalSteps()
                    ? String.format("%d local steps between averages in the first epoch, then up to %d while Spark "
                            + "takes over %.0f%% of a round", localSteps, maxLocalSteps,
                            100 * LocalStepsChoice.TARGET_SHARE)
                    : localSteps + " local steps between averages";
        }
        String describe() {
            if (rates.warmupSteps() == 0 && rates.decaySteps() == 0 && rates.peak() == rates.base()) {
                return String.format("schedule for %d %s: every one of %d steps at --lr %g%s", replicas,
                        replicas == 1 ? "replica" : "replicas", rates.totalSteps(), rates.base(),
                        replicas == 1 ? " (one partition: the plain optimiser, nothing averaged)"
                                : String.format("; %s; %s", describeLocalSteps(), describeOuter()));
            }
            return String.format("schedule for %d replicas: the rate rises from --lr %g to %g (%.2f × --lr) over %d "
                            + "steps (%.2f epochs), holds, and falls along a half cosine over the last %d steps "
                            + "(%.2f epochs) of %d; %s; %s", replicas, rates.base(),
                    rates.peak(), rates.peak() / rates.base(), rates.warmupSteps(),
                    (double) rates.warmupSteps() / stepsPerEpoch, rates.decaySteps(),
                    (double) rates.decaySteps() / stepsPerEpoch, rates.totalSteps(), describeLocalSteps(),
                    describeOuter());
        }

        private String describeOuter() {
            return outer instanceof OuterOptimizer.Momentum m
                    ? String.format("the outer step keeps %s momentum %s at rate %s on the averaged update",
                            m.nesterov() ? "Nesterov" : "heavy-ball", m.momentum(), m.rate())
                    : "the outer step is the average itself";
        }
    }

    /**
     * The fewest local steps the rule gives: 16 when every round is a Spark job, whose fixed cost (tens to hundreds
     * of milliseconds) fewer steps would pay more often; 4 when a span of rounds runs in one stage
     * ({@code --rounds stage}), whose rounds cost less (20–40 ms beyond their compute on a 2-core machine, against
     * 60–480 ms for a job; docs/scaling.md).
     */
    static int leastLocalSteps(boolean stageRounds) {
        return stageRounds ? 4 : 16;
    }

    /** 512 / P² local steps, at least {@link #leastLocalSteps}. */
    static int autoLocalSteps(int replicas, boolean stageRounds) {
        return Math.max(leastLocalSteps(stageRounds), Math.round(512f / ((float) replicas * replicas)));
    }

    /**
     * The most local steps {@code --local-steps auto} may grow to after the first epoch: 1024 / P², the replicas'
     * spread at most √2 times its value under the rule, and never fewer than the rule's steps.
     */
    static int maxAutoLocalSteps(int replicas, boolean stageRounds) {
        return Math.max(autoLocalSteps(replicas, stageRounds), Math.round(1024f / ((float) replicas * replicas)));
    }

    /** The schedule of a run whose rounds run as jobs, or in stages when {@code stageRounds} ({@code --rounds}). */
    static Schedule choose(TrainConfig cfg, int replicas, long stepsPerEpoch, boolean stageRounds) {
        if (replicas < 1 || stepsPerEpoch < 1) {
            throw new IllegalArgumentException("need at least one replica and one step per epoch, got " + replicas
                    + " and " + stepsPerEpoch);
        }
        boolean averaged = replicas > 1;
        long totalSteps = stepsPerEpoch * cfg.epochs();
        double peak = cfg.peakLr().orElse(cfg.lr() * replicas);
        double warmupEpochs = cfg.warmupEpochs().orElse(averaged ? Math.min(1.0, cfg.epochs() / 10.0) : 0.0);
        double decayEpochs = cfg.decayEpochs().orElse(averaged ? cfg.epochs() / 4.0 : 0.0);
        // Neither phase may exceed the run: the decay is cut to the run, then the warm-up to what the decay leaves.
        long decaySteps = Math.min(Math.round(decayEpochs * stepsPerEpoch), totalSteps);
        long warmupSteps = Math.min(Math.round(warmupEpochs * stepsPerEpoch), totalSteps - decaySteps);
        int localSteps = cfg.localSteps().orElse(autoLocalSteps(replicas, stageRounds));
        int maxLocalSteps = cfg.localSteps().isEmpty() && averaged && !cfg.gradientSync()
                ? maxAutoLocalSteps(replicas, stageRounds) : localSteps;
        return new Schedule(replicas, stepsPerEpoch,
                new LearningRateSchedule(cfg.lr(), peak, warmupSteps, decaySteps, totalSteps), localSteps,
                maxLocalSteps, outerStep(cfg, replicas, localSteps));
    }

    /**
     * The fewest local steps a round takes for the default outer step to keep a momentum: Adam's first moment
     * (β₁ = 0.9) already carries about ten steps of direction, and over shorter rounds the averaged moments bring it
     * into the next round, so an outer momentum on top counts it twice.
     */
    static final int LEAST_STEPS_FOR_MOMENTUM = 8;

    /**
     * The driver's step from the replicas' mean: {@code --outer}, or by default heavy-ball momentum when replicas
     * are averaged, except where the rule itself chose rounds of fewer than {@link #LEAST_STEPS_FOR_MOMENTUM} local
     * steps: there the mean itself. With one replica there is no average, and the run stays the plain optimiser.
     * Steps given with {@code --local-steps} keep the momentum, as they always have: the rule's own choices are the
     * ones measured together.
     */
    static OuterOptimizer outerStep(TrainConfig cfg, int replicas, int localSteps) {
        boolean momentum = replicas > 1
                && (cfg.localSteps().isPresent() || localSteps >= LEAST_STEPS_FOR_MOMENTUM);
        OuterKind kind = cfg.outer().orElse(momentum ? OuterKind.MOMENTUM : OuterKind.AVG);
        return switch (kind) {
            case AVG -> OuterOptimizer.AVERAGE;
            case MOMENTUM -> new OuterOptimizer.Momentum(cfg.outerLr(), cfg.outerMomentum(), false);
            case NESTEROV -> new OuterOptimizer.Momentum(cfg.outerLr(), cfg.outerMomentum(), true);
        };
    }
}
