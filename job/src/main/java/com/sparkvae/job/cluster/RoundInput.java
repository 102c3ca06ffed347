package com.sparkvae.job.cluster;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * What the driver broadcasts each round: the parameters, followed (when the partitions run the optimiser) by the
 * optimiser's moment vectors, all in one array, the optimiser's step count and the learning rate of each of the
 * round's steps (from the run's learning-rate schedule).
 */
public final class RoundInput implements Serializable {
    private transient float[] vector;
    private final long iteration;
    private final double[] learningRates;

    public RoundInput(float[] vector, long iteration, double[] learningRates) {
        this.vector = vector;
        this.iteration = iteration;
        this.learningRates = learningRates;
    }

    float[] vector() {
        return vector;
    }

    long iteration() {
        return iteration;
    }

    double[] learningRates() {
        return learningRates;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        FloatArrays.write(out, vector);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        vector = FloatArrays.read(in);
    }
}
