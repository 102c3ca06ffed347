package com.sparkvae.job.train;

import com.sparkvae.job.cluster.ProcessMemory;
import com.sparkvae.job.cluster.ReplicaSum;
import com.sparkvae.model.LossSums;
import java.util.OptionalDouble;

/**
 * Where a round's time goes, summed over an epoch: its wall time, the least time its compute can take on the task
 * slots, and the rest, Spark's overhead (broadcast, scheduling, results back, the driver's update).
 */
final class RoundStatistics {
    private final int taskSlots;
    private long rounds;
    private double wallSeconds;
    private double computeSeconds;
    private double meanTaskSeconds;
    private long peakExecutorBytes;

    RoundStatistics(int taskSlots) {
        this.taskSlots = taskSlots;
    }

    /**
     * What one round returned: the loss sums of the minibatches it saw, the compute time of its slowest task and of
     * all its tasks together, how many tasks contributed, and the largest executor's peak resident memory.
     */
    record Round(LossSums losses, double slowestTaskSeconds, double totalTaskSeconds, int tasks,
                 long peakExecutorBytes) {

        Round(ReplicaSum sum) {
            this(sum.losses(), sum.slowestTaskSeconds(), sum.totalTaskSeconds(), sum.tasks(), sum.peakExecutorBytes());
        }

        /** A task's mean compute time: against the slowest, what the round loses waiting for stragglers. */
        double meanTaskSeconds() {
            return totalTaskSeconds / Math.max(1, tasks);
        }

        /**
         * The least time the round's compute can take on {@code slots} task slots: its slowest task, or all its
         * tasks' compute spread evenly over the slots when there are more tasks than slots. The round's wall time
         * less this is Spark's overhead.
         */
        double computeSeconds(int slots) {
            return Math.max(slowestTaskSeconds, totalTaskSeconds / slots);
        }
    }

    void add(Round round, double roundWallSeconds) {
        rounds++;
        wallSeconds += roundWallSeconds;
        computeSeconds += round.computeSeconds(taskSlots);
        meanTaskSeconds += round.meanTaskSeconds();
        peakExecutorBytes = Math.max(peakExecutorBytes, round.peakExecutorBytes());
    }

    long rounds() {
        return rounds;
    }

    double wallSeconds() {
        return wallSeconds;
    }

    /** The least time the rounds' compute can take on the task slots, summed. */
    double computeSeconds() {
        return computeSeconds;
    }

    /** The mean wall time of a round, in milliseconds; empty before any round. */
    OptionalDouble roundMs() {
        return rounds == 0 ? OptionalDouble.empty() : OptionalDouble.of(1000 * wallSeconds / rounds);
    }

    /** The mean part of a round's wall time beyond its compute, in milliseconds; empty before any round. */
    OptionalDouble overheadMs() {
        return rounds == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(1000 * (wallSeconds - computeSeconds) / rounds);
    }

    /** Spark's share of the rounds' wall time, from 0 to 1. */
    double overheadShare() {
        return wallSeconds > 0 ? Math.max(0, wallSeconds - computeSeconds) / wallSeconds : 0;
    }

    long peakExecutorBytes() {
        return peakExecutorBytes;
    }

    /** The epoch's log lines on rounds and memory. */
    String describe(int epoch) {
        double roundMs = 1000 * wallSeconds / Math.max(1, rounds);
        double computeMs = 1000 * computeSeconds / Math.max(1, rounds);
        double meanTaskMs = 1000 * meanTaskSeconds / Math.max(1, rounds);
        return String.format("epoch %d: %d rounds, %.1f ms each: %.1f ms computing (the slowest task, or all tasks "
                        + "over %d task slots; a task's mean %.1f ms), %.1f ms (%.0f%%) overhead (by jobs: broadcast, "
                        + "scheduling, aggregation, driver update; in a stage: averaging, the stage's start and "
                        + "end)", epoch, rounds, roundMs, computeMs, taskSlots,
                meanTaskMs, roundMs - computeMs, 100 * overheadShare());
    }

    static String memory(int epoch, long peakExecutorBytes) {
        return String.format("epoch %d: peak resident memory so far: driver %s, largest executor %s", epoch,
                ProcessMemory.mib(ProcessMemory.peakResidentBytes()), ProcessMemory.mib(peakExecutorBytes));
    }
}
