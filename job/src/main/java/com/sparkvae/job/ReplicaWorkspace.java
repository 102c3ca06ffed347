package com.sparkvae.job;

import com.sparkvae.model.Architecture;
import com.sparkvae.model.HostArrays;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.OptimizerState;
import com.sparkvae.model.ParameterLayout;
import com.sparkvae.model.ShardTrainer;
import com.sparkvae.model.VaeParameters;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One replica's ND4J memory on an executor: a {@link ShardTrainer} with its working buffers, the parameters and
 * optimiser moments, and a gradient accumulator. Built once per executor and kept in {@link ExecutorCache}; each
 * round only copies the broadcast values in and the results out.
 */
final class ReplicaWorkspace {
    final Architecture architecture;
    final int momentCount;
    final ShardTrainer trainer;
    final VaeParameters params;
    final VaeParameters gradient;
    final OptimizerState state;
    private final long size;

    ReplicaWorkspace(Architecture architecture, int capacity, Optimizer optimizer) {
        this.architecture = architecture;
        this.momentCount = optimizer.momentCount();
        this.trainer = new ShardTrainer(architecture, capacity, DataType.FLOAT);
        ParameterLayout layout = new ParameterLayout(architecture);
        this.size = layout.size();
        this.params = VaeParameters.zeros(layout, DataType.FLOAT);
        this.gradient = VaeParameters.zeros(layout, DataType.FLOAT);
        this.state = optimizer.initialState(size, DataType.FLOAT);
    }

    /** Copies the parameters, and the moments when {@code withMoments}, from the broadcast vector. */
    void load(RoundInput input, boolean withMoments) {
        long expected = withMoments ? size * (1 + momentCount) : size;
        if (input.vector().length != expected) {
            throw new IllegalStateException("broadcast holds " + input.vector().length + " values, expected " + expected);
        }
        HostArrays.copyInto(input.vector(), 0, (int) size, params.flat());
        if (withMoments) {
            List<INDArray> moments = state.moments();
            for (int m = 0; m < moments.size(); m++) {
                HostArrays.copyInto(input.vector(), (int) (size * (1 + m)), (int) size, moments.get(m));
            }
            state.setIteration(input.iteration());
        }
    }

    /** The parameters followed by the moments, as one new array. */
    float[] exportWithMoments() {
        return concat(params.flat(), state.moments());
    }

    /** The layout of {@link RoundInput#vector()}: the parameters, then each moment vector. */
    static float[] concat(INDArray params, List<INDArray> moments) {
        int size = (int) params.length();
        float[] out = new float[size * (1 + moments.size())];
        float[] tmp = new float[size];
        for (int m = -1; m < moments.size(); m++) {
            HostArrays.copyFrom(m < 0 ? params : moments.get(m), tmp);
            System.arraycopy(tmp, 0, out, size * (1 + m), size);
        }
        return out;
    }
}
