package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.model.LossSums;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which local steps a run's rounds take, and when --local-steps auto chooses them. */
public class RoundLengthTest {
    private static final long STEPS_PER_EPOCH = 59;
    // A round of 16 steps all Spark overhead but 1 ms: auto always grows as far as it may.
    private static final RoundStatistics.Round COSTLY = new RoundStatistics.Round(LossSums.ZERO, 0.001, 0.002, 2, 0);

    @Test
    void autoChoosesAtTheEndOfTheFirstEpochLeavingTheProcesssFirstRoundOut() {
        RoundLength length = length(4, Map.of(), 0);
        assertEquals(32, length.steps());
        length.roundDone(COSTLY, 1.0, 32);   // the process's first round: not measured
        assertTrue(length.epochDone(1).isEmpty(), "nothing measured yet, nothing chosen");
        assertEquals(0, length.chosen());
        length.roundDone(COSTLY, 1.0, 32);
        length.roundDone(COSTLY, 1.0, 27);
        assertTrue(length.epochDone(2).orElseThrow().startsWith("local steps (auto, 32 to 64)"));
        assertEquals(64, length.steps());
        assertEquals(64, length.chosen());
        length.roundDone(COSTLY, 1.0, 59);
        assertTrue(length.epochDone(3).isEmpty(), "chosen once");
    }

    @Test
    void aResumedRunKeepsTheStepsItsCheckpointChose() {
        RoundLength length = length(4, Map.of(), 64);
        assertEquals(64, length.steps());
        length.roundDone(COSTLY, 1.0, 59);
        length.roundDone(COSTLY, 1.0, 59);
        assertTrue(length.epochDone(2).isEmpty());
        assertEquals(64, length.chosen());
    }

    @Test
    void givenStepsAndGradientSyncAreNeverChosen() {
        RoundLength given = length(4, Map.of("local-steps", "20"), 0);
        RoundLength gradient = length(4, Map.of("sync", "gradient"), 0);
        for (RoundLength l : new RoundLength[] {given, gradient}) {
            l.roundDone(COSTLY, 1.0, 1);
            l.roundDone(COSTLY, 1.0, 1);
            assertTrue(l.epochDone(1).isEmpty());
        }
        assertEquals(20, given.steps());
        assertEquals(1, gradient.steps());
    }

    private static RoundLength length(int partitions, Map<String, String> options, int saved) {
        Map<String, String> all = new java.util.HashMap<>(options);
        all.put("partitions", Integer.toString(partitions));
        TrainConfig cfg = TestConfigs.train(all);
        return new RoundLength(cfg, ScheduleRule.choose(cfg, partitions, STEPS_PER_EPOCH, false), STEPS_PER_EPOCH, saved, 2);
    }
}
