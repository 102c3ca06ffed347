package com.sparkvae.job.cluster;

import com.sparkvae.model.Architecture;
import com.sparkvae.model.Optimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The job's only global mutable state: per executor JVM, the idle {@link ReplicaWorkspace}s, so that later rounds
 * (and concurrent tasks, each taking its own) reuse ND4J buffers instead of allocating them every round.
 *
 * <p>Spark does not count ND4J's off-heap memory: a workspace of the default model holds about 40 MB off-heap, one
 * per concurrently running task; leave room for it in {@code spark.executor.memoryOverhead}.
 */
public final class ExecutorCache {
    private record Key(Architecture architecture, int capacity, int momentCount, int threads) {
    }

    private static final Map<Key, ConcurrentLinkedDeque<ReplicaWorkspace>> IDLE = new ConcurrentHashMap<>();
    private static volatile int configuredThreads = -1;

    private ExecutorCache() {
    }

    /**
     * An idle workspace for this architecture whose trainer splits each minibatch over {@code threads} threads (the
     * task's cores, {@code spark.task.cpus}), or a new one. Give it back with {@link #release}.
     */
    static ReplicaWorkspace borrow(Architecture architecture, int capacity, Optimizer optimizer, int threads) {
        configureNativeThreads();
        ReplicaWorkspace ws = IDLE.computeIfAbsent(new Key(architecture, capacity, optimizer.momentCount(), threads),
                k -> new ConcurrentLinkedDeque<>()).pollFirst();
        return ws != null ? ws : new ReplicaWorkspace(architecture, capacity, optimizer, threads);
    }

    static void release(ReplicaWorkspace ws) {
        IDLE.computeIfAbsent(new Key(ws.architecture, ws.trainer.capacity(), ws.momentCount, ws.trainer.threads()),
                k -> new ConcurrentLinkedDeque<>()).addFirst(ws);
    }

    /**
     * One native thread per ND4J op: a task uses its cores by splitting its minibatch across threads instead
     * ({@link com.sparkvae.model.ShardTrainer}), which measured faster than giving the products two BLAS threads
     * (docs/measurements.md, 2026-11-24). BLAS has one thread pool
     * per process, which the tasks running side by side on an executor would share; the split keeps each task to
     * its own cores.
     */
    private static synchronized void configureNativeThreads() {
        if (configuredThreads != 1) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            Nd4j.factory().blas().setMaxThreads(1);
            configuredThreads = 1;
        }
    }
}
