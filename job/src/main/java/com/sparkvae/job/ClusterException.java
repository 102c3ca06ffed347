package com.sparkvae.job;

/**
 * Spark or the cluster manager would not run the application (an unreachable master, an unknown YARN queue, a
 * Hadoop configuration that cannot be read); the message says what refused and why.
 */
public class ClusterException extends RuntimeException {
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
