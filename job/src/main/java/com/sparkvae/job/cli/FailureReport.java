package com.sparkvae.job.cli;

import com.sparkvae.job.ClusterException;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.TaskFailures;
import com.sparkvae.job.TrainingDivergedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what stopped a command into one line on stderr and an exit code. A user's mistake (bad option, path, data,
 * or a cluster that refuses the application) gets its message alone, in the log too; only the job's own failures
 * carry a stack trace, which the log holds.
 */
final class FailureReport {
    private static final Logger LOG = LoggerFactory.getLogger(FailureReport.class);

    private FailureReport() {
    }

    /** How a command failed: its exit code and the one line the user was shown. */
    record Failure(ExitCode code, String line) {
    }

    static Failure report(Throwable t) {
        Throwable known = t;
        try {
            TaskFailures.rethrowJobException(t);
        } catch (ConfigException | DataException e) {
            known = e;
        }
        ExitCode code = known instanceof ConfigException ? ExitCode.CONFIG
                : known instanceof DataException ? ExitCode.DATA
                : known instanceof ClusterException ? ExitCode.CLUSTER
                : ExitCode.BUG;
        for (Throwable c = t; c != null && code == ExitCode.BUG; c = c.getCause()) {
            if (c instanceof TrainingDivergedException) {
                known = c;
                code = ExitCode.DIVERGED;
            }
        }
        String line;
        if (code == ExitCode.BUG) {
            LOG.error("spark-vae failed", t);
            line = "error: " + t + " (a failure of the job itself; the log above has the stack trace)";
        } else {
            if (code != ExitCode.CONFIG) {   // found after Spark started: the log tells the story too
                LOG.error("{} (exit {})", known.getMessage(), code.code);
                LOG.debug("where it was found", t);
            }
            line = "error: " + known.getMessage();
        }
        System.err.println(line);
        return new Failure(code, line);
    }

    /** The innermost message of a chain, which usually names what failed. */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
