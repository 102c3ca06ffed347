package com.sparkvae.job;

/** A configuration or command-line value that the job refuses; the message names the key and what is allowed. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
