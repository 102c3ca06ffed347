package com.sparkvae.model;

import java.util.List;

/**
 * The shape of a VAE: encoder q(t|x, φ) = N(m(x), diag s²(x)) and decoder p(x|t, w), both multilayer perceptrons.
 * The encoder maps the {@code inputDim} features through {@code hidden} layers to two heads, the mean m and the
 * log-variance log s², each of {@code latentDim} units; the decoder mirrors the hidden layers (in reverse order) and
 * ends in one output per feature, read by the {@code likelihood}. {@code samples} is L, the number of draws of
 * t̂ per point in the reconstruction term.
 */
public record Architecture(int inputDim, List<Integer> hidden, int latentDim, Activation activation,
                           Likelihood likelihood, int samples) implements java.io.Serializable {

    public Architecture {
        if (inputDim < 1) {
            throw new IllegalArgumentException("input dimension must be at least 1, got " + inputDim);
        }
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be at least 1, got " + hidden);
            }
        }
        if (latentDim < 1) {
            throw new IllegalArgumentException("latent dimension must be at least 1, got " + latentDim);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples per point must be at least 1, got " + samples);
        }
        java.util.Objects.requireNonNull(activation, "activation");
        java.util.Objects.requireNonNull(likelihood, "likelihood");
    }

    /** The architecture of the reference experiments: 784-400-20, ReLU, Bernoulli, one sample. */
    public static Architecture reference(int inputDim) {
        return new Architecture(inputDim, List.of(400), 20, Activation.RELU, new Likelihood.Bernoulli(), 1);
    }
}
