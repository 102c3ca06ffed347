package com.sparkvae.model;

/**
 * Where one dense layer y = x W + b lives in the flat parameter vector: W is {@code in × out}, row-major, at
 * {@code weightOffset}; b has {@code out} entries at {@code biasOffset}.
 */
public record DenseSlot(String name, int in, int out, long weightOffset) {

    public long biasOffset() {
        return weightOffset + (long) in * out;
    }

    public long end() {
        return biasOffset() + out;
    }
}
