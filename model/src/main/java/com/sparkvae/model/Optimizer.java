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
    void stepInPlace(float[] params, float[] gradientSum, double gradientScale, OptimizerState state);

    /** Number of moment vectors in this optimiser's state. */
    int momentCount();

    double learningRate();

    /** The same optimiser with another learning rate. */
    Optimizer withLearningRate(double learningRate);
}
