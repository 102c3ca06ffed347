package com.sparkvae.job.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** One line of {@code metrics.jsonl}: figures in nats per example, rates in examples per second. */
public record EpochMetrics(int epoch, long round, double trainNegElbo, double recon, double kl, OptionalDouble testNegElbo,
                    double examplesPerSec, double elapsedSec, double trainSec, double learningRate) {

    public Map<String, Object> asJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("round", round);
        m.put("train_neg_elbo", trainNegElbo);
        m.put("recon", recon);
        m.put("kl", kl);
        if (testNegElbo.isPresent()) {
            m.put("test_neg_elbo", testNegElbo.getAsDouble());
        }
        m.put("examples_per_sec", examplesPerSec);
        m.put("elapsed_sec", elapsedSec);
        m.put("train_sec", trainSec);
        m.put("learning_rate", learningRate);
        return m;
    }

    static EpochMetrics fromJson(com.fasterxml.jackson.databind.JsonNode n) {
        return new EpochMetrics(n.get("epoch").asInt(), n.get("round").asLong(), n.get("train_neg_elbo").asDouble(),
                n.get("recon").asDouble(), n.get("kl").asDouble(),
                n.has("test_neg_elbo") ? OptionalDouble.of(n.get("test_neg_elbo").asDouble()) : OptionalDouble.empty(),
                n.get("examples_per_sec").asDouble(), n.get("elapsed_sec").asDouble(), n.get("train_sec").asDouble(),
                n.get("learning_rate").asDouble());
    }
}
