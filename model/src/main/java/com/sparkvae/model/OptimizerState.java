package com.sparkvae.model;

import java.util.ArrayList;
import java.util.List;

/**
 * An optimiser's memory, as a value: the number of steps taken and zero or more per-parameter moment vectors, each
 * laid out like the parameters. Because the moments are plain arrays they can be averaged across replicas and
 * saved; {@link Optimizer#stepInPlace} updates them in place.
 */
public final class OptimizerState {
    private long iteration;
    private final List<float[]> moments;

    public OptimizerState(long iteration, List<float[]> moments) {
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

    /** The moment vectors, shared (not copies): writes go to this state. */
    public List<float[]> momentsRef() {
        return moments;
    }

    public OptimizerState copy() {
        List<float[]> copies = new ArrayList<>(moments.size());
        for (float[] m : moments) {
            copies.add(m.clone());
        }
        return new OptimizerState(iteration, copies);
    }
}
