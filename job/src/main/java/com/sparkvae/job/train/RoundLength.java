package com.sparkvae.job.train;

import com.sparkvae.job.TrainConfig;
import java.util.Optional;

/**
 * The local steps of a run's rounds: one under {@code --sync gradient}, else the schedule's; under
 * {@code --local-steps auto}, from the end of the first epoch with a measured round on, those
 * {@link LocalStepsChoice} takes from that epoch's rounds, leaving out this process's first round (it pays one-time
 * costs no later round pays). A resumed run starts from the steps its checkpoint records and, once they are chosen,
 * chooses no more.
 */
final class RoundLength {
    private final ScheduleRule.Schedule schedule;
    private final long stepsPerEpoch;
    private final int taskSlots;
    private boolean choosing;
    private boolean firstRound = true;
    private RoundStatistics measured;
    private long measuredSteps;
    private int steps;
    private int chosen;

    /** {@code saved}: the steps a checkpoint records as chosen, 0 for none. */
    RoundLength(TrainConfig cfg, ScheduleRule.Schedule schedule, long stepsPerEpoch, int saved, int taskSlots) {
        this.schedule = schedule;
        this.stepsPerEpoch = stepsPerEpoch;
        this.taskSlots = taskSlots;
        this.steps = cfg.gradientSync() ? 1 : saved > 0 ? saved : schedule.localSteps();
        this.choosing = saved == 0 && schedule.choosesLocalSteps();   // never under gradient sync (ScheduleRule)
        this.chosen = saved;
        this.measured = new RoundStatistics(taskSlots);
    }

    /** The local steps of the next round (fewer where the epoch ends first). */
    int steps() {
        return steps;
    }

    /** The steps chosen under auto so far, 0 for none: what a checkpoint keeps. */
    int chosen() {
        return chosen;
    }

    /** A round of {@code roundSteps} steps took {@code seconds}. */
    void roundDone(RoundStatistics.Round round, double seconds, int roundSteps) {
        if (firstRound) {
            firstRound = false;
        } else if (choosing) {
            measured.add(round, seconds);
            measuredSteps += roundSteps;
        }
    }

    /** At the end of an epoch: under auto, once rounds were measured, the choice, and its log line. */
    Optional<String> epochDone(int epoch) {
        if (!choosing || measured.rounds() == 0) {
            measured = new RoundStatistics(taskSlots);
            measuredSteps = 0;
            return Optional.empty();
        }
        LocalStepsChoice choice = LocalStepsChoice.choose(schedule.localSteps(), schedule.maxLocalSteps(),
                stepsPerEpoch, measured.rounds(), measuredSteps, measured.wallSeconds(), measured.computeSeconds());
        steps = choice.steps();
        chosen = choice.steps();
        choosing = false;
        return Optional.of(choice.describe(epoch, schedule.localSteps(), schedule.maxLocalSteps()));
    }
}
