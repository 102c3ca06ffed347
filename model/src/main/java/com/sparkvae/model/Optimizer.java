package com.sparkvae.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How parameters move given a gradient. Life cycle: {@link #initialState} once, then {@link #stepInPlace} many
 * times with the same state. An optimiser holds only its hyper-parameters; all that changes lives in the state.
 *
 * <p>Convention: the gradient handed to a step is that of the <em>per-example</em> negative ELBO, −ELBO / N, as
 * estimated from a minibatch: (1/N) · (N/n) Σ_s ∇(−ELBO(x_{i_s})) = (1/n) Σ_s ∇(−ELBO(x_{i_s})). Learning
 * rates therefore do not depend on the size of the data set, and parameters move against the gradient (descent on
 * the negative ELBO, ascent on the ELBO).
 */
public interface Optimizer extends java.io.Serializable {

    /** Fresh state for {@code size} parameters. */
    OptimizerState initialState(long size, DataType type);

    /**
     * Moves {@code params} one step against {@code gradient} and advances {@code state}. The gradient buffer is
     * used as scratch and holds the applied update afterwards.
     */
    void stepInPlace(INDArray params, INDArray gradient, OptimizerState state);

    /** Number of moment vectors in this optimiser's state. */
    int momentCount();

    double learningRate();

    /** The same optimiser with another learning rate. */
    Optimizer withLearningRate(double learningRate);
}
