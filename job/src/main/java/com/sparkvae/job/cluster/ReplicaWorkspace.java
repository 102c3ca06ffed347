package com.sparkvae.job.cluster;

import com.sparkvae.model.Architecture;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.OptimizerState;
import com.sparkvae.model.ParameterLayout;
import com.sparkvae.model.ShardTrainer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One replica's memory on an executor: a {@link ShardTrainer} with its ND4J working buffers, and the parameters,
 * optimiser moments and gradient as on-heap arrays. Built once per executor and kept in {@link ExecutorCache}; each
 * round only copies the broadcast values in and the results out.
 */
public final class ReplicaWorkspace {
    final Architecture architecture;
    final int momentCount;
    final ShardTrainer trainer;
    final float[] params;
    final float[] gradient;
    final OptimizerState state;

    ReplicaWorkspace(Architecture architecture, int capacity, Optimizer optimizer, int threads) {
        this.architecture = architecture;
        this.momentCount = optimizer.momentCount();
        this.trainer = new ShardTrainer(architecture, capacity, DataType.FLOAT, threads);
        int size = Math.toIntExact(new ParameterLayout(architecture).size());
        this.params = new float[size];
        this.gradient = new float[size];
        this.state = optimizer.initialState(size);
    }

    /** Copies the parameters, and the moments and step count when {@code withMoments}, from the broadcast. */
    void load(RoundInput input, boolean withMoments) {
        int size = params.length;
        long expected = withMoments ? (long) size * (1 + momentCount) : size;
        if (input.vector().length != expected) {
            throw new IllegalStateException("broadcast holds " + input.vector().length + " values, expected " + expected);
        }
        split(input.vector(), params, withMoments ? state.momentsRef() : List.of());
        if (withMoments) {
            state.setIteration(input.iteration());
        }
    }

    /** Copies the parameters and moments from {@code vector} ({@link #concat}'s layout) and sets the step count. */
    void loadWithMoments(float[] vector, long iteration) {
        if (vector.length != (long) params.length * (1 + momentCount)) {
            throw new IllegalStateException("the state holds " + vector.length + " values, expected "
                    + (long) params.length * (1 + momentCount));
        }
        split(vector, params, state.momentsRef());
        state.setIteration(iteration);
    }

    /** The parameters followed by the moments, as one new array. */
    float[] exportWithMoments() {
        return concat(params, state.momentsRef());
    }

    /** The layout of {@link RoundInput#vector()}: the parameters, then each moment vector. */
    public static float[] concat(float[] params, List<float[]> moments) {
        int size = params.length;
        float[] out = new float[size * (1 + moments.size())];
        System.arraycopy(params, 0, out, 0, size);
        for (int m = 0; m < moments.size(); m++) {
            System.arraycopy(moments.get(m), 0, out, size * (1 + m), size);
        }
        return out;
    }

    /** The inverse of {@link #concat}: copies a parameters-then-moments vector into the given arrays. */
    public static void split(float[] vector, float[] params, List<float[]> moments) {
        int size = params.length;
        System.arraycopy(vector, 0, params, 0, size);
        for (int m = 0; m < moments.size(); m++) {
            System.arraycopy(vector, size * (1 + m), moments.get(m), 0, size);
        }
    }
}
