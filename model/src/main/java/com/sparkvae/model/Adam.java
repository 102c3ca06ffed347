package com.sparkvae.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015). With g the per-example gradient
 * (see {@link Optimizer}) and t the step number from 1:
 * <pre>
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   θ ← θ − α · √(1 − β₂ᵗ) / (1 − β₁ᵗ) · m / (√v + ε)
 * </pre>
 * (the paper's efficient form; ε sits outside the bias correction, a negligible difference from PyTorch's).
 * State moments: [v, m]. The update runs as one native ND4J op.
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {

    public Adam {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam's epsilon must be positive, got " + epsilon);
        }
    }

    /** The defaults of the paper and of PyTorch: β₁ 0.9, β₂ 0.999, ε 1e-8. */
    public static Adam withDefaults(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public OptimizerState initialState(long size, DataType type) {
        return new OptimizerState(0, List.of(Nd4j.zeros(type, size), Nd4j.zeros(type, size)));
    }

    @Override
    public void stepInPlace(INDArray params, INDArray gradient, OptimizerState state) {
        INDArray v = state.moments().get(0);
        INDArray m = state.moments().get(1);
        // The op reads the 0-based iteration and writes the update over the gradient.
        Nd4j.exec(new AdamUpdater(gradient, v, m, learningRate, beta1, beta2, epsilon,
                Math.toIntExact(state.iteration())));
        params.subi(gradient);
        state.advance();
    }

    @Override
    public int momentCount() {
        return 2;
    }

    @Override
    public Optimizer withLearningRate(double lr) {
        return new Adam(lr, beta1, beta2, epsilon);
    }
}
