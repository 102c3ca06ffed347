package com.sparkvae.job.train;

/**
 * Under {@code --local-steps auto}, the local steps of a round from the second epoch on. {@link ScheduleRule} gives
 * the range that measured quality allows; within it, the first epoch's rounds measure what a round costs Spark on
 * this cluster (broadcast, scheduling, results back, the driver's update), and the steps grow, doubling, until that
 * share of the projected round is at most {@link #TARGET_SHARE}. Fewer rounds pay that fixed cost less often; the
 * choice is made once, logged, kept in checkpoints and recorded in {@code manifest.json}, so a resumed run keeps it.
 *
 * <p>The projection: an epoch's S steps in ⌈S / K⌉ rounds, each paying the measured overhead o, and the measured
 * compute c per step: share(K) = ⌈S / K⌉ o / (⌈S / K⌉ o + S c). The process's first round is left out of the
 * measurement: it pays one-time costs (class loading, the JIT's first compiles, Spark's first job) that no later
 * round pays. The rest of the first epoch still runs partly before the JIT has settled, in Spark's code more than
 * in the model's, so the choice leans towards more steps; the cap bounds what that can cost.
 *
 * @param steps the local steps of a round from now on
 * @param measuredShare Spark's share of the first epoch's rounds, from 0 to 1
 * @param projectedShare the share projected at {@code steps}
 */
record LocalStepsChoice(int steps, double measuredShare, double projectedShare) {
    /** Spark's share of a round above which the steps grow, while the range allows. */
    static final double TARGET_SHARE = 0.05;

    /**
     * The least of {@code least} · 2^j up to {@code most} whose projected share of an epoch of
     * {@code stepsPerEpoch} steps is at most the target, or {@code most}, from {@code rounds} measured rounds of
     * {@code steps} steps in all that took {@code wallSeconds}, of which {@code computeSeconds} computing.
     */
    static LocalStepsChoice choose(int least, int most, long stepsPerEpoch, long rounds, long steps,
                                   double wallSeconds, double computeSeconds) {
        if (least < 1 || most < least || stepsPerEpoch < 1 || steps < 1 || rounds < 1) {
            throw new IllegalArgumentException("cannot choose local steps in [" + least + ", " + most + "] from "
                    + rounds + " rounds of " + steps + " steps");
        }
        double overheadPerRound = Math.max(0, wallSeconds - computeSeconds) / rounds;
        double computePerStep = computeSeconds / steps;
        double measured = wallSeconds > 0 ? rounds * overheadPerRound / wallSeconds : 0;
        int k = least;
        while (share(k, stepsPerEpoch, overheadPerRound, computePerStep) > TARGET_SHARE && k < most) {
            k = Math.min(most, 2 * k);
        }
        return new LocalStepsChoice(k, measured, share(k, stepsPerEpoch, overheadPerRound, computePerStep));
    }

    private static double share(int k, long steps, double overheadPerRound, double computePerStep) {
        double overhead = Math.ceil((double) steps / k) * overheadPerRound;
        double total = overhead + steps * computePerStep;
        return total > 0 ? overhead / total : 0;
    }

    String describe(int epoch, int least, int most) {
        return String.format("local steps (auto, %d to %d): Spark took %.1f%% of epoch %d's rounds (the first "
                        + "left out) at %d steps; "
                        + "%s %d steps a round from here on (Spark's share projected at %.1f%%, target %.0f%%)",
                least, most, 100 * measuredShare, epoch, least, steps == least ? "keeping" : "taking", steps,
                100 * projectedShare, 100 * TARGET_SHARE);
    }
}
