package com.sparkvae.job;

import com.sparkvae.model.LearningRateSchedule;

/**
 * Chooses a run's optimisation schedule from the number of replicas P (the partitions that hold data) and the run's
 * length, so that a user who changes {@code --partitions} does not retune. Each part can be overridden by its own
 * option; {@code --lr} stays what one process would use at the per-partition minibatch.
 *
 * <p>Why each part (measurements in README.md, "Learning-rate schedule"):
 * <ul>
 *   <li>Peak rate --lr × P. Averaging P replicas keeps the mean of their steps: the model moves about as far per
 *       round as one replica would, while P times the data went in. Raising the rate P-fold gives back one process's
 *       progress per example (the linear scaling rule of Goyal et al., "Accurate, Large Minibatch SGD", 2017).</li>
 *   <li>Warm-up over the first epoch (at most a tenth of the run): a raised rate from the first step, while Adam's
 *       moments are still empty and the initial gradients large, wastes the start (Goyal et al.).</li>
 *   <li>Cosine decay over the last quarter of the run: replicas spread around their average by an amount that grows
 *       with the rate and the local steps (Stich, "Local SGD Converges Fast and Communicates Little", ICLR 2019); a
 *       closing decay removes that spread and the minibatch noise.</li>
 *   <li>Local steps 128 / P, at most 8192 / n for the global minibatch n, at least 4: the spread grows with rate ×
 *       local steps, so as the rate grows with P the local steps shrink to keep the product at its 2-partition
 *       value (64 steps at 2 × --lr); and no more than 8,192 examples go by between two averages, the most that
 *       measured free of cost at 8 and 16 partitions of 128 points (where it gives 8 and 4 steps). The default run,
 *       2 partitions sharing a minibatch of 128, gets 64 steps: as good as 32 in held-out loss, and a round's fixed
 *       cost (broadcast, scheduling, results back) is paid half as often.</li>
 * </ul>
 * With one replica there is no average to compensate for: the run is the plain optimiser at {@code --lr}.
 */
final class ScheduleRule {
    static final String PEAK_DOC = "--lr × P, P the number of partitions holding data (replicas averaged).";
    static final String WARMUP_DOC = "1 epoch (at most a tenth of the run) when P > 1; 0 with one partition.";
    static final String DECAY_DOC = "the last quarter of the run when P > 1; 0 with one partition.";
    static final String LOCAL_STEPS_DOC = "128 / P, at most 8192 / (global minibatch), at least 4: 64 for 2 partitions "
            + "sharing a minibatch of 128; 32, 16, 8, 4 for 2, 4, 8, 16 partitions of 128.";

    private ScheduleRule() {
    }

    /** A run's schedule: the rate of every step, and the local steps between two averages. */
    record Schedule(int replicas, long stepsPerEpoch, LearningRateSchedule rates, int localSteps) {
        String describe() {
            if (rates.warmupSteps() == 0 && rates.decaySteps() == 0 && rates.peak() == rates.base()) {
                return String.format("schedule for %d %s: every one of %d steps at --lr %g%s", replicas,
                        replicas == 1 ? "replica" : "replicas", rates.totalSteps(), rates.base(),
                        replicas == 1 ? " (one partition: the plain optimiser, nothing averaged)"
                                : String.format("; %d local steps between averages", localSteps));
            }
            return String.format("schedule for %d replicas: the rate rises from --lr %g to %g (%.2f × --lr) over %d "
                            + "steps (%.2f epochs), holds, and falls along a half cosine over the last %d steps "
                            + "(%.2f epochs) of %d; %d local steps between averages", replicas, rates.base(),
                    rates.peak(), rates.peak() / rates.base(), rates.warmupSteps(),
                    (double) rates.warmupSteps() / stepsPerEpoch, rates.decaySteps(),
                    (double) rates.decaySteps() / stepsPerEpoch, rates.totalSteps(), localSteps);
        }

        /** For manifest.json. */
        java.util.Map<String, Object> asJson() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("replicas", replicas);
            m.put("lr", rates.base());
            m.put("peak_lr", rates.peak());
            m.put("warmup_steps", rates.warmupSteps());
            m.put("decay_steps", rates.decaySteps());
            m.put("total_steps", rates.totalSteps());
            m.put("steps_per_epoch", stepsPerEpoch);
            m.put("local_steps", localSteps);
            return m;
        }
    }

    /** 128 / P local steps, but at most 8192 examples (of the global minibatch n) between averages, and at least 4. */
    static int autoLocalSteps(int replicas, int globalBatch) {
        return Math.max(4, Math.min(Math.round(128f / replicas), Math.round(8192f / globalBatch)));
    }

    static Schedule choose(TrainConfig cfg, int replicas, long stepsPerEpoch) {
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
        int localSteps = cfg.localSteps().orElse(autoLocalSteps(replicas, cfg.batchSize()));
        return new Schedule(replicas, stepsPerEpoch,
                new LearningRateSchedule(cfg.lr(), peak, warmupSteps, decaySteps, totalSteps), localSteps);
    }
}
