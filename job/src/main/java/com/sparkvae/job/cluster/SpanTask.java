package com.sparkvae.job.cluster;

import com.sparkvae.job.data.RowBlock;
import com.sparkvae.model.LossSums;
import com.sparkvae.model.StepCoordinates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * executor JVMs, their leaders sum partial sums every round ({@link PeerExchange}), and need the ports of the JVMs'
 * {@link PeerTransport} servers. Those live as long as their JVMs, so the driver passes on the ports the previous span
 * used, by executor address; only when they do not cover this stage's JVMs (the first span, a new executor, a span
 * run again after a failure) do the tasks swap them through {@code allGather} (addresses only: its messages pass
 * through the driver), which costs about a second, as every task but the last polls for the answer once a second.
 * In one JVM the task never calls {@code BarrierTaskContext.get()}, {@code barrier()} or {@code allGather()}: on
 * Spark 3.5 their first use starts a non-daemon timer thread, which in local mode would keep the driver's JVM alive
 * after {@code main} returns (an executor's JVM ends with {@code System.exit}).
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
        // A peer's message that comes before the exchange is registered is answered "not yet" and sent again.
        ReplicaGroup group = ReplicaGroup.join(key, layout.members(), in, transport == null ? null
                : () -> new PeerExchange(key, layout.jvms(), layout.jvm(), in.vector().length));
        Throwable failure = null;
        try {
            Map<String, Integer> ports = Map.of();
            if (transport != null) {
                int[] known = layout.knownPorts(in.peerPorts());
                int[] leaderPorts = known != null ? known
                        : layout.leaderPorts(context.allGather(Integer.toString(transport.port())));
                ports = layout.portsByAddress(leaderPorts);
                if (layout.member() == 0) {
                    group.connect(transport, layout.leaderHosts(), leaderPorts);
                    // In the executor's log: which span ran where, so that a stage's spread can be checked.
                    LOG.info("rounds {}-{}, stage {} attempt {}: {} of the {} tasks in this executor JVM ({} of {}), "
                                    + "which exchanges its sums with the others over Spark's transport ({}; ports {})",
                            in.firstRound(), in.firstRound() + in.learningRates().length - 1, context.stageId(),
                            context.stageAttemptNumber(), layout.members(), addresses.length, layout.jvm() + 1,
                            layout.jvms(), transport.security(), known != null ? "as the last span's" : "swapped");
                }
            }
            return rounds(partition, layout.member(), data, in, plan, group, ports);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            group.leave(key, failure);
        }
    }

    /** The span's rounds of partition {@code partition}, member {@code member} of its JVM's group. */
    private static SpanResult rounds(int partition, int member, Iterator<RowBlock> data, SpanInput in, RoundPlan plan,
                                     ReplicaGroup group, Map<String, Integer> ports) {
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
                            group.outerBefore.clone(), iteration, records, round.record().losses(), ports);
                }
                iteration += rates[r].length;
                SpanResult.RoundRecord m = round.record();
                records.add(new SpanResult.RoundRecord(m.losses(), m.slowestTaskSeconds(), m.totalTaskSeconds(),
                        m.tasks(), m.peakExecutorBytes(), (System.nanoTime() - start) / 1e9));
            }
            return partition != 0 ? SpanResult.empty()
                    : SpanResult.of(group.global.clone(), group.outerBuffer.clone(), iteration, records, null, ports);
        } finally {
            if (ws != null) {
                ExecutorCache.release(ws);
            }
        }
    }
}
