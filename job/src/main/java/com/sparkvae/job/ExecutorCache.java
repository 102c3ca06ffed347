package com.sparkvae.job;

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
final class ExecutorCache {
    private record Key(Architecture architecture, int capacity, int momentCount) {
    }

    private static final Map<Key, ConcurrentLinkedDeque<ReplicaWorkspace>> IDLE = new ConcurrentHashMap<>();
    private static volatile int configuredThreads = -1;

    private ExecutorCache() {
    }

    /** An idle workspace for this architecture, or a new one. Give it back with {@link #release}. */
    static ReplicaWorkspace borrow(Architecture architecture, int capacity, Optimizer optimizer, int threads) {
        configureThreads(threads);
        ReplicaWorkspace ws = IDLE.computeIfAbsent(new Key(architecture, capacity, optimizer.momentCount()),
                k -> new ConcurrentLinkedDeque<>()).pollFirst();
        return ws != null ? ws : new ReplicaWorkspace(architecture, capacity, optimizer);
    }

    static void release(ReplicaWorkspace ws) {
        IDLE.computeIfAbsent(new Key(ws.architecture, ws.trainer.capacity(), ws.momentCount),
                k -> new ConcurrentLinkedDeque<>()).addFirst(ws);
    }

    /**
     * ND4J's native threads per task: as many as the task's cores ({@code spark.task.cpus}), so tasks running side
     * by side on an executor do not oversubscribe its cores.
     */
    private static synchronized void configureThreads(int threads) {
        if (configuredThreads != threads) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            configuredThreads = threads;
        }
    }
}
