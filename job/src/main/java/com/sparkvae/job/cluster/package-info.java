/**
 * What runs on the executors and crosses the wire in a round: the tasks
 * ({@link com.sparkvae.job.cluster.RoundTasks}), what the driver broadcasts and the tasks return, their sum over
 * partitions ({@link com.sparkvae.job.cluster.PartitionSums}), the per-executor reuse of ND4J buffers
 * ({@link com.sparkvae.job.cluster.ExecutorCache}), a span of rounds in one barrier stage
 * ({@link com.sparkvae.job.cluster.SpanTask}, whose tasks average through
 * {@link com.sparkvae.job.cluster.ReplicaGroup}), the seam between the Spark lines
 * ({@link com.sparkvae.job.cluster.SparkLine}), and {@link com.sparkvae.job.cluster.SharedStorage}, which asks the
 * executors whether they see a path of the driver's disk (through a marker file it writes and removes).
 *
 * <p>Uses {@code data} (the shards), the root package and the model module; knows nothing of runs.
 */
package com.sparkvae.job.cluster;
