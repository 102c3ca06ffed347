package com.sparkvae.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reconstruction term of the negative ELBO for one likelihood: −log p(x | o) for a block of data rows x and the
 * decoder's outputs o (logits, means, …), both {@code r × inputDim} and contiguous, and its gradient at o.
 * {@link ElboGradient} runs the networks and calls one of these per draw of t̂; each likelihood's arithmetic, and the
 * working buffers it needs, live in its own implementation, chosen in {@link #create}.
 *
 * <p>Sums over the block's rows, as {@link ElboGradient}'s are. An instance owns working buffers for blocks of up to
 * the capacity it was built for and is not thread-safe.
 */
interface ReconstructionTerm {

    /**
     * The term for a likelihood, in the model's data type: the one place that maps a {@link Likelihood} to its class.
     * A new likelihood adds its class and a line here.
     */
    static ReconstructionTerm create(Likelihood likelihood, int inputDim, int capacity, DataType type) {
        if (likelihood instanceof Likelihood.Bernoulli) {
            return type == DataType.FLOAT ? new FloatBernoulliTerm(inputDim, capacity)
                    : new DoubleBernoulliTerm(inputDim, capacity, type);
        }
        if (likelihood instanceof Likelihood.Gaussian gaussian) {
            return new GaussianTerm(gaussian, inputDim, capacity, type);
        }
        throw new IllegalArgumentException("no reconstruction term for the likelihood " + likelihood);
    }

    /** −Σ_i log p(x_i | o_i) over the block's rows. */
    double loss(VaeParameters params, INDArray out, INDArray x);

    /**
     * Returns {@link #loss}, writes {@code scale} · ∂loss/∂o into {@code dOut} (shaped like {@code out}) and, for a
     * term with parameters of its own (the Gaussian's learned log-variance), writes {@code scale} · ∂loss/∂θ into
     * {@code gradient}'s entries for them, added to β times what they held (β = 1 adds, 0 overwrites). The loss comes
     * with the gradient because both are computed from the same per-element terms.
     */
    double lossAndGradient(VaeParameters params, INDArray out, INDArray x, double scale, INDArray dOut,
                           VaeParameters gradient, double beta);

    /** −log p(x_i | o_i) for each row i of the block. */
    double[] lossPerRow(VaeParameters params, INDArray out, INDArray x);
}
