package com.sparkvae.job.train;

import com.sparkvae.job.DataException;
import com.sparkvae.job.cluster.ReplicaWorkspace;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.OptimizerState;
import com.sparkvae.model.OuterOptimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What training changes, as the driver holds it between rounds: the global parameters, the optimiser's state (step
 * count and moments, averaged over the replicas each round) and the outer step's buffer, all mutable in place.
 */
final class DriverState {
    final float[] params;
    final OptimizerState optimizer;
    /** The outer optimiser's momentum u; empty for plain averaging. Stays on the driver: tasks never see it. */
    final float[] outerBuffer;

    DriverState(int size, Optimizer optimizer, OuterOptimizer outer) {
        this.params = new float[size];
        this.optimizer = optimizer.initialState(size);
        this.outerBuffer = new float[outer.bufferCount() * size];
    }

    /** The parameters, then the moments: what a round broadcasts, as a new array. */
    float[] roundVector() {
        return ReplicaWorkspace.concat(params, optimizer.momentsRef());
    }

    /** The round vector followed by the outer buffer, if any: what a checkpoint holds, as a new array. */
    float[] savedVector() {
        return ReplicaWorkspace.concat(params, savedParts());
    }

    /**
     * Sets everything from a saved vector ({@link #savedVector}'s layout) and step count. A vector without the outer
     * buffer, as a fresh or warm start has, leaves the buffer zero.
     */
    void load(float[] saved, long iteration) {
        long round = (long) params.length * (1 + optimizer.momentsRef().size());
        long full = round + outerBuffer.length;
        if (saved.length != full && saved.length != round) {
            throw new DataException("the saved state holds " + saved.length + " values; this model and outer "
                    + "optimiser need " + full);
        }
        java.util.Arrays.fill(outerBuffer, 0f);
        ReplicaWorkspace.split(saved, params, saved.length == full ? savedParts() : optimizer.momentsRef());
        optimizer.setIteration(iteration);
    }

    /** Sets the parameters and moments from a round vector ({@link #roundVector}'s layout). */
    void loadRound(float[] round, long iteration) {
        ReplicaWorkspace.split(round, params, optimizer.momentsRef());
        optimizer.setIteration(iteration);
    }

    private List<float[]> savedParts() {
        List<float[]> parts = new ArrayList<>(optimizer.momentsRef());
        if (outerBuffer.length > 0) {
            parts.add(outerBuffer);
        }
        return parts;
    }
}
