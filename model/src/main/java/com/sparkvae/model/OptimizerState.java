package com.sparkvae.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An optimiser's memory, as a value: the number of steps taken and zero or more per-parameter moment vectors, each
 * laid out like the parameters. Because the moments are plain vectors they can be averaged across replicas and
 * saved; {@link Optimizer#stepInPlace} updates them in place.
 */
public final class OptimizerState {
    private long iteration;
    private final List<INDArray> moments;

    public OptimizerState(long iteration, List<INDArray> moments) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be non-negative, got " + iteration);
        }
        this.iteration = iteration;
        this.moments = List.copyOf(moments);
    }

    /** Steps taken so far. */
    public long iteration() {
        return iteration;
    }

    void advance() {
        iteration++;
    }

    /** Sets the step count, e.g. after copying averaged moments in. */
    public void setIteration(long iteration) {
        this.iteration = iteration;
    }

    /** The moment vectors, shared (not copies). */
    public List<INDArray> moments() {
        return moments;
    }

    public OptimizerState copy() {
        List<INDArray> copies = new ArrayList<>(moments.size());
        for (INDArray m : moments) {
            copies.add(m.dup());
        }
        return new OptimizerState(iteration, copies);
    }
}
