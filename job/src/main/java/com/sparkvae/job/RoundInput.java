package com.sparkvae.job;

import java.io.Serializable;

/**
 * What the driver broadcasts each round: the parameters, followed (when the partitions run the optimiser) by the
 * optimiser's moment vectors, all in one array, and the optimiser's step count.
 */
record RoundInput(float[] vector, long iteration, double learningRate) implements Serializable {
}
