package com.sparkvae.model;

/**
 * How parameters move given a gradient. Life cycle: {@link #initialState} once, then {@link #stepInPlace} many
 * times with the same state. An optimiser holds only its hyper-parameters; all that changes lives in the state.
 *
 * <p>Convention: the step uses the gradient of the <em>per-example</em> negative ELBO, −ELBO / N, as estimated from
 * a minibatch: (1/N) · (N/n) Σ_s ∇(−ELBO(x_{i_s})) = (1/n) Σ_s ∇(−ELBO(x_{i_s})). Callers pass the raw sum and the
 * factor that turns it into that estimate. Learning rates therefore do not depend on the size of the data set, and
 * parameters move against the gradient (descent on the negative ELBO, ascent on the ELBO).
 *
 * <p>Optimisers work on plain on-heap arrays: an update is one pass of simple arithmetic per parameter, which a JIT-
 * compiled loop does about twenty times faster than ND4J's native updater op for this model's 650k parameters.
 */
public interface Optimizer extends java.io.Serializable {

    /** Fresh state for {@code size} parameters. */
    OptimizerState initialState(int size);

    /**
     * Moves {@code params} one step against {@code gradientScale · gradientSum} and advances {@code state}.
     * {@code gradientSum} is not modified.
     */
    default void stepInPlace(float[] params, float[] gradientSum, double gradientScale, OptimizerState state) {
        if (params.length != gradientSum.length) {
            throw new IllegalArgumentException("parameters and gradient differ in length");
        }
        stepRange(params, gradientSum, gradientScale, state, 0, params.length);
        state.advance();
    }

    /**
     * The part of {@link #stepInPlace} that touches indices [{@code from}, {@code to}) of the parameters, the
     * gradient and the moments, and does <em>not</em> advance {@code state}. Disjoint ranges may be stepped on
     * different threads and in any order; the caller advances the state once all of them are done. This lets a
     * trainer update the vector piece by piece while each piece is still in cache. (Every array is indexed alike:
     * a JIT-compiled loop over arrays at different offsets is not vectorised, and runs about 7× slower here.)
     */
    void stepRange(float[] params, float[] gradientSum, double gradientScale, OptimizerState state, int from, int to);

    /** Number of moment vectors in this optimiser's state. */
    int momentCount();

    double learningRate();

    /** The same optimiser with another learning rate. */
    Optimizer withLearningRate(double learningRate);
}
