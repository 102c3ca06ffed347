package com.sparkvae.job.cluster;

import com.sparkvae.job.data.PartitionShard;
import com.sparkvae.job.data.RowBlock;
import com.sparkvae.model.LossSums;
import com.sparkvae.model.StepCoordinates;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/** What one task does with its partition in a round; static, so closures capture only what is named. */
public final class RoundTasks {
    private RoundTasks() {
    }

    /**
     * Parameter averaging: from the broadcast parameters and moments, takes one local optimiser step per broadcast
     * learning rate on the shard and returns the resulting parameters and moments weighted by the shard size.
     */
    public static ReplicaSum localSteps(int partition, Iterator<RowBlock> data, Broadcast<RoundInput> input, RoundPlan plan,
                                 long round) {
        Optional<PartitionShard> found = shardOf(data, plan);
        if (found.isEmpty()) {
            return ReplicaSum.empty();
        }
        PartitionShard shard = found.get();
        RoundInput in = input.value();
        ReplicaWorkspace ws = ExecutorCache.borrow(plan.architecture(), plan.capacity(), plan.optimizer(), taskCpus());
        try {
            long start = System.nanoTime();
            ws.load(in, true);
            LossSums losses = ws.trainer.runSteps(ws.params, ws.state, plan.optimizer(), in.learningRates(), shard,
                    plan.batchSizes()[partition], new StepCoordinates(plan.seed(), round, partition));
            return ReplicaSum.of(ws.exportWithMoments(), shard.size(), losses,
                    (System.nanoTime() - start) / 1e9, ProcessMemory.peakResidentBytes());
        } finally {
            ExecutorCache.release(ws);
        }
    }

    /** Synchronous SGD: the unscaled gradient sum over one minibatch of the shard. */
    public static ReplicaSum gradientSum(int partition, Iterator<RowBlock> data, Broadcast<RoundInput> input, RoundPlan plan,
                                  long round) {
        Optional<PartitionShard> found = shardOf(data, plan);
        if (found.isEmpty()) {
            return ReplicaSum.empty();
        }
        PartitionShard shard = found.get();
        ReplicaWorkspace ws = ExecutorCache.borrow(plan.architecture(), plan.capacity(), plan.optimizer(), taskCpus());
        try {
            long start = System.nanoTime();
            ws.load(input.value(), false);
            LossSums losses = ws.trainer.minibatchGradientSum(ws.params, shard, plan.batchSizes()[partition],
                    new StepCoordinates(plan.seed(), round, partition), 0, ws.gradient);
            return ReplicaSum.of(ws.gradient.clone(), 1.0, losses, (System.nanoTime() - start) / 1e9,
                    ProcessMemory.peakResidentBytes());
        } finally {
            ExecutorCache.release(ws);
        }
    }

    /** The loss sums of every row of the shard under the broadcast parameters. */
    public static LossSums evaluate(int partition, Iterator<RowBlock> data, Broadcast<RoundInput> input, RoundPlan plan) {
        Optional<PartitionShard> found = shardOf(data, plan);
        if (found.isEmpty()) {
            return LossSums.ZERO;
        }
        PartitionShard shard = found.get();
        ReplicaWorkspace ws = ExecutorCache.borrow(plan.architecture(), plan.capacity(), plan.optimizer(), taskCpus());
        try {
            ws.load(input.value(), false);
            return ws.trainer.evaluate(ws.params, shard, plan.seed(), partition);
        } finally {
            ExecutorCache.release(ws);
        }
    }

    /** The partition's cached blocks as a shard; empty for an empty partition, which sits the round out. */
    static Optional<PartitionShard> shardOf(Iterator<RowBlock> data, RoundPlan plan) {
        List<RowBlock> blocks = new ArrayList<>();
        data.forEachRemaining(blocks::add);
        return blocks.isEmpty() ? Optional.empty()
                : Optional.of(new PartitionShard(blocks, blocks.get(0).dim(), plan.transform()));
    }

    static int taskCpus() {
        TaskContext tc = TaskContext.get();
        return tc == null ? 1 : Math.max(1, tc.cpus());
    }
}
