package com.sparkvae.job.cluster;

import com.sparkvae.job.data.RowBlock;
import com.sparkvae.model.LossSums;
import com.sparkvae.model.StepCoordinates;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * One task of a span's barrier stage ({@code --rounds stage}): it keeps its partition's shard and one replica for
 * every round of the span. Each round it takes the round's local steps from the global state, as
 * {@link RoundTasks#localSteps} does, and averages with the other tasks ({@link ReplicaGroup}), which also take the
 * outer step; every task then holds the next global state, and the driver sees none of it until the span ends.
 *
 * <p>The tasks reach each other through shared memory, so they must all run in one JVM (local mode). The task finds
 * its context through {@code TaskContext.get()} and never calls {@code BarrierTaskContext.get()}, {@code barrier()}
 * or {@code allGather()}: on Spark 3.5 the first use of those starts a non-daemon timer thread that would keep a
 * local-mode driver's JVM alive after {@code main} returns.
 */
public final class SpanTask {
    private SpanTask() {
    }

    /** Runs the span on partition {@code partition}; the first partition's result carries the state. */
    public static SpanResult run(int partition, Iterator<RowBlock> data, Broadcast<SpanInput> input, RoundPlan plan) {
        BarrierTaskContext context = (BarrierTaskContext) TaskContext.get();
        BarrierTaskInfo[] tasks = context.getTaskInfos();
        requireOneJvm(tasks);
        String key = SparkEnv.get().conf().getAppId() + "/" + context.stageId() + "/" + context.stageAttemptNumber();
        SpanInput in = input.value();
        ReplicaGroup group = ReplicaGroup.join(key, tasks.length, in);
        Throwable failure = null;
        try {
            return rounds(partition, data, in, plan, group);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            group.leave(key, failure);
        }
    }

    private static SpanResult rounds(int partition, Iterator<RowBlock> data, SpanInput in, RoundPlan plan,
                                     ReplicaGroup group) {
        var shard = RoundTasks.shardOf(data, plan);
        ReplicaWorkspace ws = shard.isEmpty() ? null
                : ExecutorCache.borrow(plan.architecture(), plan.capacity(), plan.optimizer(), RoundTasks.taskCpus());
        try {
            long iteration = in.iteration();
            List<SpanResult.RoundRecord> records = new ArrayList<>();
            double[][] rates = in.learningRates();
            for (int r = 0; r < rates.length; r++) {
                long start = System.nanoTime();
                if (ws == null) {
                    group.post(partition, null, 0, LossSums.ZERO, 0, ProcessMemory.peakResidentBytes());
                } else {
                    ws.loadWithMoments(group.global, iteration);
                    LossSums losses = ws.trainer.runSteps(ws.params, ws.state, plan.optimizer(), rates[r],
                            shard.get(), plan.batchSizes()[partition],
                            new StepCoordinates(plan.seed(), in.firstRound() + r, partition));
                    group.post(partition, ws.exportWithMoments(), shard.get().size(), losses,
                            (System.nanoTime() - start) / 1e9, ProcessMemory.peakResidentBytes());
                }
                ReplicaGroup.Averaged round = group.average(partition);
                if (!round.finite()) {
                    return partition != 0 ? SpanResult.empty() : SpanResult.of(group.roundStart.clone(),
                            group.outerBefore.clone(), iteration, records, round.record().losses());
                }
                iteration += rates[r].length;
                SpanResult.RoundRecord m = round.record();
                records.add(new SpanResult.RoundRecord(m.losses(), m.slowestTaskSeconds(), m.totalTaskSeconds(),
                        m.tasks(), m.peakExecutorBytes(), (System.nanoTime() - start) / 1e9));
            }
            return partition != 0 ? SpanResult.empty()
                    : SpanResult.of(group.global.clone(), group.outerBuffer.clone(), iteration, records, null);
        } finally {
            if (ws != null) {
                ExecutorCache.release(ws);
            }
        }
    }

    private static void requireOneJvm(BarrierTaskInfo[] tasks) {
        for (BarrierTaskInfo t : tasks) {
            if (!t.address().equals(tasks[0].address())) {
                throw new IllegalStateException("--rounds stage: the stage's tasks run in several JVMs ("
                        + tasks[0].address() + ", " + t.address() + "); only local mode is supported so far");
            }
        }
    }
}
