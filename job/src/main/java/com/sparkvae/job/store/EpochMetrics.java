package com.sparkvae.job.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.OptionalDouble;

/**
 * One line of {@code metrics.jsonl}, bound by {@link Json}: figures in nats per example, rates in examples per
 * second; {@code test_neg_elbo} is absent from runs without held-out data. {@code round_ms} is the mean wall time of
 * the epoch's rounds in this process, and {@code round_overhead_ms} its part beyond the compute (the slowest task's,
 * or all tasks' spread over the task slots when there are more tasks than slots), the same split in both
 * {@code --rounds} modes; both are absent from the metrics of earlier releases and of an epoch resumed without a
 * round.
 */
public record EpochMetrics(int epoch, long round, double trainNegElbo, double recon, double kl,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) OptionalDouble testNegElbo,
                           double examplesPerSec, double elapsedSec, double trainSec, double learningRate,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) OptionalDouble roundMs,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) OptionalDouble roundOverheadMs) {
}
