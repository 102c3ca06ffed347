package com.sparkvae.model;

/**
 * The driver's step at the end of a round of local training: from the global parameters x the round started from
 * and the mean x̄ of the replicas' parameters after it, the next global parameters. Following SlowMo (Wang, Tantia,
 * Ballas and Rabbat, "SlowMo: Improving Communication-Efficient Distributed SGD with Slow Momentum", ICLR 2020) and
 * DiLoCo (Douillard et al., "DiLoCo: Distributed Low-Communication Training of Language Models", 2023), d = x − x̄ is
 * a pseudo-gradient, the distance the replicas moved downhill on average, and a slow momentum is kept on it:
 * <pre>
 *   u ← β u + d,      x ← x − α u              (heavy ball)
 *   u ← β u + d,      x ← x − α (β u + d)      (Nesterov, as DiLoCo's outer SGD)
 * </pre>
 * with α the outer rate and β the outer momentum. The buffer u is in parameter units, not divided by the inner
 * learning rate as SlowMo writes it: under the job's warm-up, whose rate grows several-fold in the first epoch, that
 * division lets the momentum of the first rounds overshoot (docs/measurements.md). With β = 0 and α = 1 both
 * reduce to x ← x − d = x̄, plain averaging, which {@link #AVERAGE} does directly.
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
     * round started from (x: the first {@code next.length} values of {@code start}, which is only read), and
     * advances {@code buffer} (u; unused when {@link #bufferCount} is 0).
     */
    void stepInPlace(float[] start, float[] next, float[] buffer);

    /**
     * {@link #stepInPlace(float[], float[], float[])} on the elements {@code [from, to)} only, touching no other:
     * the step is element-wise, so ranges that cover the parameters take the same step as one call. {@code next}
     * may be longer than the parameters (the moments following them); the range must lie within the parameters.
     */
    void stepInPlace(float[] start, float[] next, float[] buffer, int from, int to);

    /** x ← x̄. */
    record Average() implements OuterOptimizer {
        @Override
        public int bufferCount() {
            return 0;
        }

        @Override
        public void stepInPlace(float[] start, float[] next, float[] buffer) {
            // next already holds the mean
        }

        @Override
        public void stepInPlace(float[] start, float[] next, float[] buffer, int from, int to) {
            // next already holds the mean
        }
    }

    /**
     * Heavy-ball or Nesterov momentum β at outer rate α, in double precision per element: x − α u (heavy ball) and
     * x − α (β u + d) (Nesterov), so that β = 0, α = 1 gives x − d = x̄ exactly.
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
        public void stepInPlace(float[] start, float[] next, float[] buffer) {
            if (start.length < next.length || buffer.length != next.length) {
                throw new IllegalArgumentException("start, mean and buffer do not fit: " + start.length + ", "
                        + next.length + ", " + buffer.length);
            }
            stepInPlace(start, next, buffer, 0, next.length);
        }

        @Override
        public void stepInPlace(float[] start, float[] next, float[] buffer, int from, int to) {
            if (from < 0 || to > buffer.length || to > next.length || to > start.length || from > to) {
                throw new IllegalArgumentException("range [" + from + ", " + to + ") outside the parameters: "
                        + start.length + ", " + next.length + ", " + buffer.length);
            }
            for (int i = from; i < to; i++) {
                double x = start[i];
                double d = x - next[i];
                double u = momentum * buffer[i] + d;
                buffer[i] = (float) u;
                next[i] = (float) (x - rate * (nesterov ? momentum * u + d : u));
            }
        }
    }
}
