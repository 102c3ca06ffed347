package com.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The latent side of the estimator for a block of rows, computed on heap: the KL term, the reparameterised draw
 * t̂ = m + s ⊙ ε, and the chain rule from ∂/∂t̂ back to the encoder's heads. These arrays are r × latentDim, a
 * few columns wide, so ND4J's fixed cost per op, whatever the arrays' size, would dwarf the arithmetic
 * (docs/measurements.md, 2026-11-24); on heap it is a few plain loops. The heads' outputs and gradients stay in ND4J
 * arrays, shared with the products around them, and are copied through {@link NativeVector}s. Values are held in
 * double precision whatever the model's data type.
 */
final class LatentSide {
    private final NativeVector mean;
    private final NativeVector logVariance;
    private final NativeVector draw;
    private final NativeVector drawGradient;
    private final NativeVector meanGradient;
    private final NativeVector logVarianceGradient;
    private final double[] m;
    private final double[] v;
    private final double[] s;
    private final double[] eps;
    private final double[] t;
    private final double[] dT;
    private final double[] dM;
    private final double[] dV;
    private final int latentDim;

    /**
     * Over full-capacity, row-major ND4J buffers: a block of r rows uses their first r · latentDim entries.
     */
    LatentSide(int latentDim, INDArray mean, INDArray logVariance, INDArray draw, INDArray drawGradient,
               INDArray meanGradient, INDArray logVarianceGradient) {
        this.latentDim = latentDim;
        this.mean = new NativeVector(mean);
        this.logVariance = new NativeVector(logVariance);
        this.draw = new NativeVector(draw);
        this.drawGradient = new NativeVector(drawGradient);
        this.meanGradient = new NativeVector(meanGradient);
        this.logVarianceGradient = new NativeVector(logVarianceGradient);
        int n = this.mean.length();
        m = new double[n];
        v = new double[n];
        s = new double[n];
        eps = new double[n];
        t = new double[n];
        dT = new double[n];
        dM = new double[n];
        dV = new double[n];
    }

    /** Reads the heads' outputs m and v = log s² for r rows and returns the KL sum ½ Σ (s² + m² − 1 − v). */
    double readEncoder(int r) {
        int n = r * latentDim;
        mean.get(0, m, n);
        logVariance.get(0, v, n);
        double kl = 0;
        for (int i = 0; i < n; i++) {
            s[i] = Math.exp(0.5 * v[i]);
            kl += s[i] * s[i] + m[i] * m[i] - 1 - v[i];
        }
        return 0.5 * kl;
    }

    /** Draws ε and writes t̂ = m + s ⊙ ε into the decoder's input. */
    void sample(int r, GaussianNoise noise) {
        int n = r * latentDim;
        noise.fill(eps, n);
        for (int i = 0; i < n; i++) {
            t[i] = m[i] + s[i] * eps[i];
        }
        draw.put(0, t, n);
    }

    /**
     * Reads ∂/∂t̂ of one sample and carries it to the heads: ∂t̂/∂m = 1, ∂t̂/∂v = s ⊙ ε / 2. The first sample sets
     * the heads' gradients, later ones add to them.
     */
    void backSample(int r, boolean first) {
        int n = r * latentDim;
        drawGradient.get(0, dT, n);
        for (int i = 0; i < n; i++) {
            double fromDraw = 0.5 * dT[i] * s[i] * eps[i];
            dM[i] = first ? dT[i] : dM[i] + dT[i];
            dV[i] = first ? fromDraw : dV[i] + fromDraw;
        }
    }

    /**
     * Adds the KL term's gradient, ∂KL/∂m = m and ∂KL/∂v = (s² − 1)/2, once per example, and writes the heads'
     * gradients out for the encoder's backward pass.
     */
    void writeHeadGradients(int r) {
        int n = r * latentDim;
        for (int i = 0; i < n; i++) {
            dM[i] += m[i];
            dV[i] += 0.5 * (s[i] * s[i] - 1);
        }
        meanGradient.put(0, dM, n);
        logVarianceGradient.put(0, dV, n);
    }
}
