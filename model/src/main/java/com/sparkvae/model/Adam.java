package com.sparkvae.model;

import java.util.List;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015). With g the per-example gradient
 * (see {@link Optimizer}) and t the step number from 1:
 * <pre>
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   θ ← θ − α · √(1 − β₂ᵗ) / (1 − β₁ᵗ) · m / (√v + ε)
 * </pre>
 * (the paper's efficient form of Algorithm 1; ε sits outside the bias correction, a negligible difference from
 * PyTorch's). State moments: [m, v].
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
    public OptimizerState initialState(int size) {
        return new OptimizerState(0, List.of(new float[size], new float[size]));
    }

    @Override
    public void stepRange(float[] params, float[] gradientSum, double gradientScale, OptimizerState state, int from,
                          int to) {
        float[] m = state.momentsRef().get(0);
        float[] v = state.momentsRef().get(1);
        if (m.length != params.length || gradientSum.length != params.length) {
            throw new IllegalArgumentException("parameters, gradient and moments differ in length");
        }
        long t = state.iteration() + 1;
        float stepSize = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float scale = (float) gradientScale;
        float eps = (float) epsilon;
        for (int i = from; i < to; i++) {
            float g = gradientSum[i] * scale;
            float mi = b1 * m[i] + oneMinusB1 * g;
            float vi = b2 * v[i] + oneMinusB2 * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= stepSize * mi / ((float) Math.sqrt(vi) + eps);
        }
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
