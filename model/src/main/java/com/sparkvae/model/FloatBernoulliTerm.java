package com.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Bernoulli reconstruction term in single precision, the one training runs in: −log p(x | l) = Σ_d softplus(l_d)
 * − x_d l_d for logits l, ∂/∂l = σ(l) − x. Computed by {@link BernoulliTerms} on heap copies of the logits and data:
 * one vectorised pass where ND4J's ops take several scalar ones. {@link DoubleBernoulliTerm} is the same term in
 * double precision.
 */
final class FloatBernoulliTerm implements ReconstructionTerm {
    private final int inputDim;
    private final BernoulliTerms terms;
    private final float[] logits;
    private final float[] data;
    private final float[] perElement;       // the logit gradient, or each element's loss

    FloatBernoulliTerm(int inputDim, int capacity) {
        int elements = capacity * inputDim;
        this.inputDim = inputDim;
        this.terms = new BernoulliTerms(elements);
        this.logits = new float[elements];
        this.data = new float[elements];
        this.perElement = new float[elements];
    }

    @Override
    public double loss(VaeParameters params, INDArray out, INDArray x) {
        int count = load(out, x);
        return terms.lossAndGradient(logits, data, count, 1f, null);
    }

    @Override
    public double lossAndGradient(VaeParameters params, INDArray out, INDArray x, double scale, INDArray dOut,
                                  VaeParameters gradient, double beta) {
        int count = load(out, x);
        double loss = terms.lossAndGradient(logits, data, count, (float) scale, perElement);
        HostArrays.copyInto(perElement, 0, count, dOut);
        return loss;
    }

    @Override
    public double[] lossPerRow(VaeParameters params, INDArray out, INDArray x) {
        int count = load(out, x);
        terms.lossTerms(logits, data, count, perElement);
        int rows = count / inputDim;
        double[] sums = new double[rows];
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int k = i * inputDim; k < (i + 1) * inputDim; k++) {
                sum += perElement[k];
            }
            sums[i] = sum;
        }
        return sums;
    }

    /** Copies the block's logits and data to the heap and returns their number of elements. */
    private int load(INDArray out, INDArray x) {
        int count = Math.toIntExact(out.length());
        HostArrays.copyFrom(out, logits, count);
        HostArrays.copyFrom(x, data, count);
        return count;
    }
}
