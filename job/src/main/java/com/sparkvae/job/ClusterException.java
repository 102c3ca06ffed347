package com.sparkvae.job;

/**
 * Spark or the cluster manager would not run the application (an unreachable master, an unknown YARN queue); the
 * message says what refused and why. A Hadoop configuration that cannot be read is the user's to fix: a
 * {@link ConfigException}.
 */
public class ClusterException extends RuntimeException {
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
