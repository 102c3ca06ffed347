package com.sparkvae.model;

import java.util.SplittableRandom;

/**
 * Every random draw of a run comes from a stream named by (seed, round, partition, step), so a run is reproduced
 * exactly by its seed, a rerun task draws what the first attempt drew, and no global generator is shared.
 */
public final class RandomStreams {
    /** Stream purposes, so that two uses at the same coordinates never share draws. */
    public enum Purpose { MINIBATCH, NOISE, EVALUATION, INITIALISATION, SCORING, GENERATION }

    private RandomStreams() {
    }

    /** The generator for one purpose at one coordinate. */
    public static SplittableRandom stream(long seed, Purpose purpose, long round, int partition, long step) {
        long h = mix(seed ^ 0x5DEECE66DL);
        h = mix(h + purpose.ordinal());
        h = mix(h + round);
        h = mix(h + partition);
        h = mix(h + step);
        return new SplittableRandom(h);
    }

    /** SplitMix64's finaliser: a bijection on longs that scatters nearby inputs. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
