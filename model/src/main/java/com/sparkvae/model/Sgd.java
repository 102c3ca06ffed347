package com.sparkvae.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Plain stochastic gradient descent: θ ← θ − α g, with g the per-example gradient (see {@link Optimizer}). */
public record Sgd(double learningRate) implements Optimizer {

    public Sgd {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
    }

    @Override
    public OptimizerState initialState(long size, DataType type) {
        return new OptimizerState(0, List.of());
    }

    @Override
    public void stepInPlace(INDArray params, INDArray gradient, OptimizerState state) {
        params.subi(gradient.muli(learningRate));
        state.advance();
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
