/**
 * What runs on the executors and crosses the wire in a round: the tasks
 * ({@link com.sparkvae.job.cluster.RoundTasks}), what the driver broadcasts and the tasks return, their sum over
 * partitions ({@link com.sparkvae.job.cluster.PartitionSums}), and the per-executor reuse of ND4J buffers
 * ({@link com.sparkvae.job.cluster.ExecutorCache}).
 *
 * <p>Uses {@code data} (the shards), the root package and the model module; knows nothing of runs or files.
 */
package com.sparkvae.job.cluster;
