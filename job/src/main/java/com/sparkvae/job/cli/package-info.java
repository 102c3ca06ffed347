/**
 * The command line: {@link com.sparkvae.job.cli.Main}, the entry point of spark-submit, picks the command, parses
 * its options with picocli from their declarations in the root package, merges the config file, starts Spark and
 * maps what went wrong to one line and an exit code.
 *
 * <p>Uses the root package, {@code train}, {@code score} and {@code cluster} (Spark's defaults); nothing uses it.
 */
package com.sparkvae.job.cli;
