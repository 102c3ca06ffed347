package com.sparkvae.job.cli;

/**
 * How a command that failed ends when its driver runs inside the cluster (YARN cluster mode): the application's
 * diagnostics carry the one line the user would have seen, without a stack trace, which would only point here.
 */
final class ApplicationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ApplicationFailedException(int exitCode, String line) {
        super(line + " (exit code " + exitCode + ")", null, false, false);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
