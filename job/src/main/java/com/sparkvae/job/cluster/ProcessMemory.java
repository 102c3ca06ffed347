package com.sparkvae.job.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The peak memory of this JVM's process. The resident set counts what the JVM's own figures miss: ND4J's off-heap
 * buffers and the native libraries, which Spark's memory settings do not cover either.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /**
     * The process's peak resident set size in bytes (Linux's VmHWM); where /proc is missing, the JVM's committed
     * heap plus off-heap direct buffers, a lower bound.
     */
    public static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;   // the kernel reports kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc not mounted: fall through to the JVM's own accounting.
        }
        long direct = 0;
        for (java.lang.management.BufferPoolMXBean pool
                : java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            direct += Math.max(0, pool.getMemoryUsed());
        }
        return Runtime.getRuntime().totalMemory() + direct;
    }

    /** {@code bytes} in MiB, for the log. */
    public static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / (1024.0 * 1024.0));
    }
}
