package com.sparkvae.job;

/** Input data the job cannot use; the message names the file and, where it has one, the row or byte offset. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
