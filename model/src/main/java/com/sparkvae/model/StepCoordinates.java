package com.sparkvae.model;

/** Where a step sits in a run, which names its random streams: see {@link RandomStreams}. */
public record StepCoordinates(long seed, long round, int partition) {

    /** The minibatch indices of local step {@code step}. */
    java.util.SplittableRandom minibatch(long step) {
        return RandomStreams.stream(seed, RandomStreams.Purpose.MINIBATCH, round, partition, step);
    }

    /** The ε draws of local step {@code step}. */
    java.util.SplittableRandom noise(long step) {
        return RandomStreams.stream(seed, RandomStreams.Purpose.NOISE, round, partition, step);
    }
}
