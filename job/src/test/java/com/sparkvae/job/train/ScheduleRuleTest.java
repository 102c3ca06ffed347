package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.model.LearningRateSchedule;
import com.sparkvae.model.OuterOptimizer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schedule the job chooses from the number of partitions, and what the options override. */
public class ScheduleRuleTest {
    private static final long STEPS_PER_EPOCH = 59;   // 60,000 points at a global minibatch of 1024

    @Test
    void onePartitionIsThePlainOptimiserAtTheGivenRate() {
        ScheduleRule.Schedule s = choose(1, Map.of("lr", "0.002", "epochs", "16"));
        for (double rate : s.rates().rates(0, Math.toIntExact(16 * STEPS_PER_EPOCH), 1)) {
            assertEquals(0.002, rate);
        }
    }

    @Test
    void eightPartitionsWarmUpToEightTimesTheRateAndDecayOverTheLastQuarter() {
        ScheduleRule.Schedule s = choose(8, Map.of("epochs", "16", "batch-size", "1024"));
        LearningRateSchedule r = s.rates();
        assertEquals(0.001, r.rate(0));
        assertEquals(0.008, r.peak(), 1e-15);
        assertEquals(STEPS_PER_EPOCH, r.warmupSteps());
        assertEquals(4 * STEPS_PER_EPOCH, r.decaySteps());
        assertEquals(16 * STEPS_PER_EPOCH, r.totalSteps());
        assertEquals(0.008, r.rate(12 * STEPS_PER_EPOCH - 1), 1e-15);
        assertTrue(r.rate(16 * STEPS_PER_EPOCH - 1) < 1e-4);
        assertEquals(16, s.localSteps());
        assertEquals(16, s.maxLocalSteps());
        assertEquals(new OuterOptimizer.Momentum(1, 0.3, false), s.outer());
    }

    @Test
    void localStepsShrinkAsTheSquareOfThePartitionsDownToSixteen() {
        assertEquals(512, choose(1, Map.of("batch-size", "128")).localSteps());
        assertEquals(128, choose(2, Map.of("batch-size", "256")).localSteps());
        assertEquals(57, choose(3, Map.of("batch-size", "384")).localSteps());
        assertEquals(32, choose(4, Map.of("batch-size", "512")).localSteps());
        assertEquals(16, choose(8, Map.of("batch-size", "1024")).localSteps());
        assertEquals(16, choose(16, Map.of("batch-size", "2048")).localSteps());
        assertEquals(16, choose(64, Map.of("batch-size", "8192")).localSteps());
    }

    @Test
    void withinAStageLocalStepsShrinkFurtherDownToFour() {
        Map<String, String> stage = Map.of("rounds", "stage");
        assertEquals(128, choose(2, stage).localSteps());
        assertEquals(32, choose(4, stage).localSteps());
        assertEquals(8, choose(8, stage).localSteps());
        assertEquals(4, choose(11, stage).localSteps());
        assertEquals(4, choose(16, stage).localSteps());
        assertEquals(4, choose(64, stage).localSteps());
        // Up to 1024 / P² after the first epoch, as with jobs: 16 at 8 partitions, nothing to choose from 16 on.
        assertEquals(16, choose(8, stage).maxLocalSteps());
        assertTrue(!choose(16, stage).choosesLocalSteps() && !choose(64, stage).choosesLocalSteps());
    }

    @Test
    void autoLocalStepsMayGrowAfterTheFirstEpochTo1024OverPSquared() {
        assertEquals(256, choose(2, Map.of()).maxLocalSteps());
        assertEquals(64, choose(4, Map.of()).maxLocalSteps());
        assertEquals(28, choose(6, Map.of()).maxLocalSteps());
        // From 8 partitions on the floor of 16 already exceeds 1024 / P²: nothing to choose.
        assertTrue(!choose(8, Map.of()).choosesLocalSteps() && !choose(16, Map.of()).choosesLocalSteps());
        // Nothing to choose: one partition, steps given, or one step a round under gradient sync.
        assertEquals(512, choose(1, Map.of()).maxLocalSteps());
        ScheduleRule.Schedule given = choose(8, Map.of("local-steps", "20"));
        assertEquals(20, given.maxLocalSteps());
        assertTrue(!given.choosesLocalSteps() && !choose(8, Map.of("sync", "gradient")).choosesLocalSteps());
    }

    @Test
    void averagedReplicasTakeAnOuterMomentumAndOneReplicaThePlainOptimiser() {
        assertEquals(new OuterOptimizer.Momentum(1, 0.3, false), choose(2, Map.of()).outer());
        assertEquals(OuterOptimizer.AVERAGE, choose(1, Map.of()).outer());
        assertEquals(OuterOptimizer.AVERAGE, choose(8, Map.of("outer", "avg")).outer());
        assertEquals(new OuterOptimizer.Momentum(0.7, 0.9, true),
                choose(8, Map.of("outer", "nesterov", "outer-lr", "0.7", "outer-momentum", "0.9")).outer());
    }

    @Test
    void roundsOfFewerThanEightLocalStepsTakeThePlainAverage() {
        Map<String, String> stage = Map.of("rounds", "stage");
        assertEquals(new OuterOptimizer.Momentum(1, 0.3, false), choose(8, stage).outer());   // 8 steps
        assertEquals(OuterOptimizer.AVERAGE, choose(9, stage).outer());                         // 6 steps
        assertEquals(OuterOptimizer.AVERAGE, choose(16, stage).outer());
        // Only the rule's own short rounds: steps given keep the momentum, and an outer step given is kept.
        assertEquals(new OuterOptimizer.Momentum(1, 0.3, false), choose(16, Map.of("local-steps", "4")).outer());
        assertEquals(OuterOptimizer.AVERAGE, choose(16, Map.of("local-steps", "4", "outer", "avg")).outer());
        assertEquals(new OuterOptimizer.Momentum(1, 0.3, false),
                choose(16, Map.of("rounds", "stage", "outer", "momentum")).outer());
    }

    @Test
    void localStepsDoNotDependOnTheMinibatch() {
        assertEquals(128, choose(2, Map.of("batch-size", "128")).localSteps());
        assertEquals(32, choose(4, Map.of("batch-size", "128")).localSteps());
        assertEquals(32, choose(4, Map.of("batch-size", "4096")).localSteps());
    }

    @Test
    void aWarmUpNeverExceedsTheRun() {
        // Automatic: one epoch, but at most a tenth of a short run.
        LearningRateSchedule oneEpoch = choose(8, Map.of("epochs", "1")).rates();
        assertEquals(Math.round(0.1 * STEPS_PER_EPOCH), oneEpoch.warmupSteps());
        // Asked for: cut to what the run, less its decay, holds; every rate stays within [lr, peak].
        LearningRateSchedule asked = choose(8, Map.of("epochs", "2", "warmup-epochs", "5")).rates();
        assertEquals(2 * STEPS_PER_EPOCH, asked.warmupSteps() + asked.decaySteps());
        LearningRateSchedule noRoom = choose(8, Map.of("epochs", "2", "warmup-epochs", "5", "decay-epochs", "9"))
                .rates();
        assertEquals(0, noRoom.warmupSteps());
        assertEquals(2 * STEPS_PER_EPOCH, noRoom.decaySteps());
        for (LearningRateSchedule r : new LearningRateSchedule[] {oneEpoch, asked, noRoom}) {
            for (double rate : r.rates(0, Math.toIntExact(r.totalSteps()), 1)) {
                assertTrue(rate > 0 && rate <= r.peak(), "rate " + rate);
            }
        }
    }

    @Test
    void eachPartOfTheRuleCanBeOverridden() {
        ScheduleRule.Schedule s = choose(8, Map.of("epochs", "10", "peak-lr", "0.005", "warmup-epochs", "0.5",
                "decay-epochs", "0", "local-steps", "20"));
        assertEquals(0.005, s.rates().peak());
        assertEquals(Math.round(0.5 * STEPS_PER_EPOCH), s.rates().warmupSteps());
        assertEquals(0, s.rates().decaySteps());
        assertEquals(0.005, s.rates().rate(10 * STEPS_PER_EPOCH - 1));
        assertEquals(20, s.localSteps());
    }

    @Test
    void autoIsTheDefaultOfEveryPart() {
        TrainConfig cfg = TestConfigs.train(Map.of());
        assertTrue(cfg.peakLr().isEmpty() && cfg.warmupEpochs().isEmpty() && cfg.decayEpochs().isEmpty()
                && cfg.localSteps().isEmpty());
        assertEquals("auto", cfg.asKeyValues().get("local-steps"));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> TestConfigs.train(Map.of("local-steps", "0")));
        assertTrue(e.getMessage().startsWith("local-steps: must be auto or"), e.getMessage());
    }

    private static ScheduleRule.Schedule choose(int partitions, Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        all.put("partitions", Integer.toString(partitions));
        return ScheduleRule.choose(TestConfigs.train(all), partitions, STEPS_PER_EPOCH,
                "stage".equals(options.get("rounds")));
    }
}
