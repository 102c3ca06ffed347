package com.sparkvae.job.cluster;

import com.sparkvae.model.OuterOptimizer;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What the driver broadcasts for a span of rounds run as one barrier stage ({@link SpanTask}): the global state at
 * the span's start (the parameters followed by the optimiser's moments, as {@link RoundInput} lays them out, the
 * outer step's buffer and the optimiser's step count), the run's index of the span's first round, the learning rate
 * of every step of every round, the outer step, and the ports of the executor JVMs' {@link PeerTransport} servers
 * as the previous span found them (by executor address; empty for none), so the span's tasks need not swap them.
 */
public final class SpanInput implements Serializable {
    private transient float[] vector;
    private transient float[] outerBuffer;
    private final long iteration;
    private final int parameterCount;
    private final long firstRound;
    private final double[][] learningRates;
    private final OuterOptimizer outer;
    private final HashMap<String, Integer> peerPorts;

    /** {@code learningRates[r]}: the rates of the steps of the span's round r, one per local step. */
    public SpanInput(float[] vector, float[] outerBuffer, long iteration, int parameterCount, long firstRound,
                     double[][] learningRates, OuterOptimizer outer, Map<String, Integer> peerPorts) {
        this.vector = vector;
        this.outerBuffer = outerBuffer;
        this.iteration = iteration;
        this.parameterCount = parameterCount;
        this.firstRound = firstRound;
        this.learningRates = learningRates;
        this.outer = outer;
        this.peerPorts = new HashMap<>(peerPorts);
    }

    /** The same span, its tasks left to swap their servers' ports afresh. */
    public SpanInput withoutPeerPorts() {
        return new SpanInput(vector, outerBuffer, iteration, parameterCount, firstRound, learningRates, outer,
                Map.of());
    }

    float[] vector() {
        return vector;
    }

    float[] outerBuffer() {
        return outerBuffer;
    }

    long iteration() {
        return iteration;
    }

    int parameterCount() {
        return parameterCount;
    }

    long firstRound() {
        return firstRound;
    }

    double[][] learningRates() {
        return learningRates;
    }

    OuterOptimizer outer() {
        return outer;
    }

    Map<String, Integer> peerPorts() {
        return peerPorts;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        FloatArrays.write(out, vector);
        FloatArrays.write(out, outerBuffer);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        vector = FloatArrays.read(in);
        outerBuffer = FloatArrays.read(in);
    }
}
