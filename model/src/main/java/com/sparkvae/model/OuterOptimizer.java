package com.sparkvae.model;

/**
 * The driver's step at the end of a round of local training: from the global parameters x the round started from
 * and the mean x̄ of the replicas' parameters after it, the next global parameters. SlowMo (Wang, Tantia, Ballas and
 * Rabbat, "SlowMo: Improving Communication-Efficient Distributed SGD with Slow Momentum", ICLR 2020) treats
 * d = x − x̄ as a pseudo-gradient, the distance the replicas moved downhill on average, and keeps a slow momentum
 * on it:
 * <pre>
 *   u ← β u + d / γ,      x ← x − α γ u            (heavy ball)
 *   u ← β u + d / γ,      x ← x − α γ (β u + d / γ) (Nesterov, as DiLoCo uses it)
 * </pre>
 * with γ the inner learning rate of the round, α the outer rate and β the outer momentum. Dividing by γ keeps u in
 * gradient units, so the buffer carries over as the schedule changes γ. With β = 0 and α = 1 both reduce to x ← x̄,
 * plain averaging, which {@link #AVERAGE} does directly.
 *
 * <p>The state is one buffer u laid out like the parameters (none for averaging), owned by the caller.
 */
public sealed interface OuterOptimizer extends java.io.Serializable
        permits OuterOptimizer.Average, OuterOptimizer.Momentum {

    /** Plain parameter averaging: x ← x̄. */
    OuterOptimizer AVERAGE = new Average();

    /** The number of buffers laid out like the parameters that {@link #stepInPlace} keeps: 0 or 1. */
    int bufferCount();

    /**
     * Turns {@code next}, the replicas' mean x̄ on entry, into the next global parameters, given the parameters the
     * round started from (x: the first {@code next.length} values of {@code start}, which is only read) and the
     * round's inner learning rate {@code innerRate} (γ); advances {@code buffer} (u; unused when
     * {@link #bufferCount} is 0).
     */
    void stepInPlace(float[] start, float[] next, double innerRate, float[] buffer);

    /** x ← x̄. */
    record Average() implements OuterOptimizer {
        @Override
        public int bufferCount() {
            return 0;
        }

        @Override
        public void stepInPlace(float[] start, float[] next, double innerRate, float[] buffer) {
            // next already holds the mean
        }
    }

    /**
     * Heavy-ball or Nesterov momentum β at outer rate α. The step is computed as x − α (β γ u_old + d) for heavy
     * ball (and x − α (β γ u_new + d) for Nesterov), algebraically the formulas above, so that β = 0, α = 1 gives
     * x − d = x̄ exactly, without a division and multiplication by γ that would round.
     */
    record Momentum(double rate, double momentum, boolean nesterov) implements OuterOptimizer {
        public Momentum {
            if (!(rate > 0) || !Double.isFinite(rate)) {
                throw new IllegalArgumentException("outer rate must be positive and finite, got " + rate);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("outer momentum must lie in [0, 1), got " + momentum);
            }
        }

        @Override
        public int bufferCount() {
            return 1;
        }

        @Override
        public void stepInPlace(float[] start, float[] next, double innerRate, float[] buffer) {
            if (start.length < next.length || buffer.length != next.length) {
                throw new IllegalArgumentException("start, mean and buffer do not fit: " + start.length + ", "
                        + next.length + ", " + buffer.length);
            }
            if (!(innerRate > 0)) {
                throw new IllegalArgumentException("inner learning rate must be positive, got " + innerRate);
            }
            double betaGamma = momentum * innerRate;
            for (int i = 0; i < next.length; i++) {
                double x = start[i];
                double d = x - next[i];
                double uOld = buffer[i];
                double uNew = momentum * uOld + d / innerRate;
                double step = rate * ((nesterov ? momentum * innerRate * uNew : betaGamma * uOld) + d);
                buffer[i] = (float) uNew;
                next[i] = (float) (x - step);
            }
        }
    }
}
