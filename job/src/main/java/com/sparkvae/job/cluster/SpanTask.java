package com.sparkvae.job.cluster;

import com.sparkvae.job.data.RowBlock;
import com.sparkvae.model.LossSums;
import com.sparkvae.model.StepCoordinates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of a span's barrier stage ({@code --rounds stage}): it keeps its partition's shard and one replica for
 * every round of the span. Each round it takes the round's local steps from the global state, as
 * {@link RoundTasks#localSteps} does, and averages with the other tasks ({@link ReplicaGroup}), which also take the
 * outer step; every task then holds the next global state, and the driver sees none of it until the span ends.
 *
 * <p>Tasks in one JVM (all of them in local mode) reach each other through shared memory. When the stage spans
 * executor JVMs, each JVM's tasks also agree, once a span, on the ports of the JVMs' {@link PeerTransport} servers
 * through {@code allGather} (addresses only: its messages pass through the driver), and their leaders exchange
 * partial sums every round. In one JVM the task never calls {@code BarrierTaskContext.get()}, {@code barrier()} or
 * {@code allGather()}: on Spark 3.5 their first use starts a non-daemon timer thread, which in local mode would keep
 * the driver's JVM alive after {@code main} returns (an executor's JVM ends with {@code System.exit}).
 */
public final class SpanTask {
    private static final Logger LOG = LoggerFactory.getLogger(SpanTask.class);

    private SpanTask() {
    }

    /** Runs the span on partition {@code partition}; the first partition's result carries the state. */
    public static SpanResult run(int partition, Iterator<RowBlock> data, Broadcast<SpanInput> input, RoundPlan plan) {
        BarrierTaskContext context = (BarrierTaskContext) TaskContext.get();
        String[] addresses = Arrays.stream(context.getTaskInfos()).map(BarrierTaskInfo::address)
                .toArray(String[]::new);
        JvmLayout layout = JvmLayout.of(addresses, partition);
        String key = SparkEnv.get().conf().getAppId() + "/" + context.stageId() + "/" + context.stageAttemptNumber();
        SpanInput in = input.value();
        PeerTransport transport = layout.jvms() == 1 ? null
                : PeerTransport.get(JvmLayout.host(addresses[partition]));
        // The exchange is registered before the port goes out: no peer can send before it exists.
        ReplicaGroup group = ReplicaGroup.join(key, layout.members(), in, transport == null ? null
                : () -> new PeerExchange(key, layout.jvms(), layout.jvm(), in.vector().length));
        Throwable failure = null;
        try {
            if (transport != null) {
                String[] ports = context.allGather(Integer.toString(transport.port()));
                if (layout.member() == 0) {
                    group.connect(transport, layout.leaderHosts(), layout.leaderPorts(ports));
                    // In the executor's log: which span ran where, so that a stage's spread can be checked.
                    LOG.info("rounds {}-{}, stage {} attempt {}: {} of the {} tasks in this executor JVM ({} of {}), "
                                    + "which exchanges its sums with the others over Spark's transport ({})",
                            in.firstRound(), in.firstRound() + in.learningRates().length - 1, context.stageId(),
                            context.stageAttemptNumber(), layout.members(), addresses.length, layout.jvm() + 1,
                            layout.jvms(), transport.security());
                }
            }
            return rounds(partition, layout.member(), data, in, plan, group);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            group.leave(key, failure);
        }
    }

    /** The span's rounds of partition {@code partition}, member {@code member} of its JVM's group. */
    private static SpanResult rounds(int partition, int member, Iterator<RowBlock> data, SpanInput in, RoundPlan plan,
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
                    group.post(member, null, 0, LossSums.ZERO, 0, ProcessMemory.peakResidentBytes());
                } else {
                    ws.loadWithMoments(group.global, iteration);
                    LossSums losses = ws.trainer.runSteps(ws.params, ws.state, plan.optimizer(), rates[r],
                            shard.get(), plan.batchSizes()[partition],
                            new StepCoordinates(plan.seed(), in.firstRound() + r, partition));
                    group.post(member, ws.exportWithMoments(), shard.get().size(), losses,
                            (System.nanoTime() - start) / 1e9, ProcessMemory.peakResidentBytes());
                }
                ReplicaGroup.Averaged round = group.average(member);
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
}
