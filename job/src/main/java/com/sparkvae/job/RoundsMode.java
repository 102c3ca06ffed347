package com.sparkvae.job;

/** How the driver runs a run's rounds on the cluster. */
public enum RoundsMode implements Choice {
    /**
     * {@link #STAGE} where a barrier stage can run this run (a task slot for every partition, no dynamic allocation,
     * {@code --sync params}, ...), {@link #JOBS} elsewhere; which, and why, is said in one line before training. Where only
     * task slots are missing, and while a lost executor is not replaced, jobs until the cluster has them, then stage.
     */
    AUTO,
    /** One Spark job per round: the driver broadcasts the state, sums the partitions' results and steps. */
    JOBS,
    /**
     * One barrier stage per span of rounds (an epoch, or up to the next checkpoint): its tasks keep their shards and
     * replicas for the whole span and average among themselves each round, without the scheduler.
     */
    STAGE
}
