package com.sparkvae.model;

import java.io.Serializable;

/**
 * The learning rate at each optimiser step of a run of {@code totalSteps} steps (numbered from 0), in three phases:
 * a linear warm-up from {@code base} to {@code peak} over the first {@code warmupSteps} steps, {@code peak} held,
 * and over the last {@code decaySteps} steps a half cosine from {@code peak} towards zero (the "warm-up, stable,
 * decay" shape; with no held phase it is the cosine schedule of Loshchilov &amp; Hutter, "SGDR", ICLR 2017).
 *
 * <p>A pure function of the step, so a resumed or rerun round gets the rates it had the first time.
 */
public record LearningRateSchedule(double base, double peak, long warmupSteps, long decaySteps, long totalSteps)
        implements Serializable {

    public LearningRateSchedule {
        if (!(base > 0) || !Double.isFinite(base) || !(peak > 0) || !Double.isFinite(peak)) {
            throw new IllegalArgumentException("learning rates must be positive, got " + base + " and " + peak);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("a run has at least one step, got " + totalSteps);
        }
        if (warmupSteps < 0 || decaySteps < 0 || warmupSteps + decaySteps > totalSteps) {
            throw new IllegalArgumentException("warm-up (" + warmupSteps + " steps) and decay (" + decaySteps
                    + " steps) must fit in the run of " + totalSteps + " steps");
        }
    }

    /** Plain optimisation: {@code rate} at every step. */
    public static LearningRateSchedule constant(double rate, long totalSteps) {
        return new LearningRateSchedule(rate, rate, 0, 0, totalSteps);
    }

    /** The rate of step {@code step}; steps past the end keep the last step's rate. */
    public double rate(long step) {
        long s = Math.max(0, Math.min(step, totalSteps - 1));
        if (s < warmupSteps) {
            return base + (peak - base) * s / warmupSteps;
        }
        long decayStart = totalSteps - decaySteps;
        if (s < decayStart) {
            return peak;
        }
        double progress = (double) (s - decayStart + 1) / (decaySteps + 1);   // in (0, 1): no step at rate 0
        return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /** The rates of {@code count} steps from {@code first}, each multiplied by {@code factor}. */
    public double[] rates(long first, int count, double factor) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = factor * rate(first + i);
        }
        return out;
    }
}
