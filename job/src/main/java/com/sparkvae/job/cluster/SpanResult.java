package com.sparkvae.job.cluster;

import com.sparkvae.model.LossSums;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a span of rounds ({@link SpanTask}) hands back to the driver: from the first partition's task, the global
 * state after the span's last completed round (parameters and moments, outer buffer, step count) and what each of
 * its rounds measured, and the ports of the executor JVMs' {@link PeerTransport} servers by executor address (empty
 * when the stage ran in one JVM), for the next span; from every other task, nothing ({@link #isEmpty}). A span
 * stops early, before the round whose loss or parameters turned non-finite, with the state as that round found it
 * and its loss sums: the driver halves the learning rate and starts the next span there, as jobs mode retries a
 * round.
 */
public final class SpanResult implements Serializable {
    private transient float[] vector;
    private transient float[] outerBuffer;
    private long iteration;
    private List<RoundRecord> rounds = List.of();
    private LossSums divergedLosses;
    private HashMap<String, Integer> peerPorts = new HashMap<>();

    /**
     * One completed round of a span: the loss sums of its minibatches over all partitions, the compute time of its
     * slowest task and of all tasks together, how many tasks held data, the largest executor's peak resident memory,
     * and the round's wall time in the stage, from the first task's start of its steps to the averaged state.
     */
    public record RoundRecord(LossSums losses, double slowestTaskSeconds, double totalTaskSeconds, int tasks,
                              long peakExecutorBytes, double wallSeconds) implements Serializable {
    }

    static SpanResult empty() {
        return new SpanResult();
    }

    static SpanResult of(float[] vector, float[] outerBuffer, long iteration, List<RoundRecord> rounds,
                         LossSums divergedLosses, Map<String, Integer> peerPorts) {
        SpanResult r = new SpanResult();
        r.vector = vector;
        r.outerBuffer = outerBuffer;
        r.iteration = iteration;
        r.rounds = List.copyOf(rounds);
        r.divergedLosses = divergedLosses;
        r.peerPorts = new HashMap<>(peerPorts);
        return r;
    }

    /** Whether this is a task's result that carries nothing (every task but the first partition's). */
    public boolean isEmpty() {
        return vector == null;
    }

    /** The parameters followed by the moments after the span's last completed round. */
    public float[] vector() {
        return vector;
    }

    public float[] outerBuffer() {
        return outerBuffer;
    }

    public long iteration() {
        return iteration;
    }

    /** The rounds completed, in order. */
    public List<RoundRecord> rounds() {
        return rounds;
    }

    /** Whether the span stopped before a round that diverged (the round after {@link #rounds}). */
    public boolean diverged() {
        return divergedLosses != null;
    }

    /** Each executor JVM's server port, by executor address, as this span's tasks used them. */
    public Map<String, Integer> peerPorts() {
        return peerPorts;
    }

    /** The loss sums of the round that diverged; null when none did. */
    public LossSums divergedLosses() {
        return divergedLosses;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeBoolean(vector != null);
        if (vector != null) {
            FloatArrays.write(out, vector);
            FloatArrays.write(out, outerBuffer);
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (in.readBoolean()) {
            vector = FloatArrays.read(in);
            outerBuffer = FloatArrays.read(in);
        }
    }
}
