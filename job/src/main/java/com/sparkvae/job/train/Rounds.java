package com.sparkvae.job.train;

import java.util.List;

/**
 * How the driver runs rounds ({@code --rounds}): one Spark job per round ({@link RoundRunner}) or one barrier stage
 * per span of rounds ({@link StageRounds}). Either updates the {@link DriverState} it was given.
 */
interface Rounds {
    /**
     * Runs the rounds from {@code round} of the run, in epoch {@code epoch}, the first from step {@code firstStep} of
     * the run, the i-th of {@code steps[i]} steps, and returns the outcome of each round completed, in order. Fewer
     * than asked when a round diverged: the state is then as that round found it, and the next call starts there
     * at half the learning rate.
     */
    List<Outcome> run(long round, int epoch, long firstStep, int[] steps);

    /** Whether one call runs many rounds well: the caller then hands it every round up to the next checkpoint. */
    boolean spans();

    /** How many times the learning rate has been halved so far in the run. */
    int halvings();

    /**
     * A completed round: what it measured, its steps, the learning rate of its last step (the schedule's, halved
     * after each roll-back), and its wall time, with its share of its span's fixed costs.
     */
    record Outcome(RoundStatistics.Round round, int steps, double lastRate, double wallSeconds) {
    }
}
