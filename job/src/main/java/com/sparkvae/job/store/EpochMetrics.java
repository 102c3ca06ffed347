package com.sparkvae.job.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.OptionalDouble;

/**
 * One line of {@code metrics.jsonl}, bound by {@link Json}: figures in nats per example, rates in examples per
 * second; {@code test_neg_elbo} is absent from runs without held-out data.
 */
public record EpochMetrics(int epoch, long round, double trainNegElbo, double recon, double kl,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) OptionalDouble testNegElbo,
                           double examplesPerSec, double elapsedSec, double trainSec, double learningRate) {
}
