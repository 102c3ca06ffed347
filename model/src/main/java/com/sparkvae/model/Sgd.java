package com.sparkvae.model;

import java.util.List;

/** Plain stochastic gradient descent: θ ← θ − α g, with g the per-example gradient (see {@link Optimizer}). */
public record Sgd(double learningRate) implements Optimizer {

    public Sgd {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
    }

    @Override
    public OptimizerState initialState(int size) {
        return new OptimizerState(0, List.of());
    }

    @Override
    public void stepRange(float[] params, float[] gradientSum, double gradientScale, OptimizerState state, int from,
                          int to) {
        float step = (float) (learningRate * gradientScale);
        for (int i = from; i < to; i++) {
            params[i] -= step * gradientSum[i];
        }
    }

    @Override
    public int momentCount() {
        return 0;
    }

    @Override
    public Optimizer withLearningRate(double lr) {
        return new Sgd(lr);
    }
}
