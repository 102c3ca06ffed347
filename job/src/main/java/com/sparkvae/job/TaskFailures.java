package com.sparkvae.job;

/**
 * Spark wraps an exception thrown inside a task in a {@code SparkException}; the job's own exceptions (bad data,
 * bad configuration) are recovered from the cause chain so that callers see what actually went wrong.
 */
public final class TaskFailures {
    private TaskFailures() {
    }

    private static final String DATA_MARKER = DataException.class.getName() + ": ";

    /**
     * Rethrows the first {@link DataException} or {@link ConfigException} in the cause chain, or a DataException
     * named in a task failure's message (Spark does not always keep the task's exception as the cause); otherwise
     * returns.
     */
    public static void rethrowJobException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DataException d) {
                throw new DataException(d.getMessage(), t);
            }
            if (c instanceof ConfigException e) {
                throw e;
            }
            String message = c.getMessage();
            int at = message == null ? -1 : message.indexOf(DATA_MARKER);
            if (at >= 0) {
                String rest = message.substring(at + DATA_MARKER.length());
                int end = rest.indexOf('\n');
                throw new DataException(end < 0 ? rest : rest.substring(0, end), t);
            }
        }
    }
}
