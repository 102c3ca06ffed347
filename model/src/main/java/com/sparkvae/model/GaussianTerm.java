package com.sparkvae.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The diagonal Gaussian reconstruction term with ND4J ops, in either precision: for means μ and the per-feature
 * log-variance u,
 * <pre>
 *   −log p(x | μ) = ½ Σ_d [log 2π + u_d + (x_d − μ_d)² e^{−u_d}]
 *   ∂/∂μ = (μ − x) e^{−u},   ∂/∂u = ½ (1 − (x − μ)² e^{−u})
 * </pre>
 * u is the model's parameter when the variance is learned (its gradient summed over the rows), the constant of the
 * {@link Likelihood.Gaussian} otherwise.
 */
final class GaussianTerm implements ReconstructionTerm {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final boolean learned;
    private final int inputDim;
    private final OutputScratch scratch;
    private final INDArray inverseVariance;   // e^{−u}, 1 × inputDim
    private final INDArray fixedLogVariance;  // 1 × inputDim

    GaussianTerm(Likelihood.Gaussian gaussian, int inputDim, int capacity, DataType type) {
        this.learned = gaussian.learned();
        this.inputDim = inputDim;
        this.scratch = new OutputScratch(inputDim, capacity, type);
        this.inverseVariance = Nd4j.create(type, new long[] {1, inputDim}, 'c');
        this.fixedLogVariance = Nd4j.valueArrayOf(new long[] {1, inputDim}, gaussian.logVariance(), type);
    }

    @Override
    public double loss(VaeParameters params, INDArray out, INDArray x) {
        int r = Math.toIntExact(out.rows());
        OutputScratch s = scratch.rows(r);
        INDArray u = logVariance(params);
        INDArray squares = s.first();
        scaledSquaresInto(out, x, u, s.second(), squares);
        return total(r, s.sum(squares), u);
    }

    @Override
    public double lossAndGradient(VaeParameters params, INDArray out, INDArray x, double scale, INDArray dOut,
                                  VaeParameters gradient, double beta) {
        int r = Math.toIntExact(out.rows());
        OutputScratch s = scratch.rows(r);
        INDArray u = logVariance(params);
        INDArray squares = s.first();
        scaledSquaresInto(out, x, u, dOut, squares);
        double sumOfSquares = s.sum(squares);
        dOut.muliRowVector(inverseVariance);
        if (scale != 1.0) {
            dOut.muli(scale);
        }
        if (learned) {
            // ∂/∂u_d = ½ Σ_i (1 − (x_id − μ_id)² e^{−u_d}) = ½ r − ½ Σ_i squares_id
            INDArray du = gradient.observationLogVariance();
            s.columnSumsInto(squares, du, -0.5 * scale, beta);
            du.addi(0.5 * r * scale);
        }
        return total(r, sumOfSquares, u);
    }

    @Override
    public double[] lossPerRow(VaeParameters params, INDArray out, INDArray x) {
        OutputScratch s = scratch.rows(Math.toIntExact(out.rows()));
        INDArray u = logVariance(params);
        INDArray squares = s.first();
        scaledSquaresInto(out, x, u, s.second(), squares);
        INDArray rowSums = s.rowSums(squares, 0.5);
        rowSums.addi(0.5 * (inputDim * LOG_2PI + u.sumNumber().doubleValue()));
        return rowSums.toDoubleVector();
    }

    private INDArray logVariance(VaeParameters params) {
        return learned ? params.observationLogVariance() : fixedLogVariance;
    }

    /** ½ (r d log 2π + r Σ_d u_d + Σ (x − μ)² e^{−u}), from the sum of the scaled squares. */
    private double total(int r, double sumOfSquares, INDArray u) {
        double sumLogVar = u.sumNumber().doubleValue();
        return 0.5 * ((double) r * inputDim * LOG_2PI + r * sumLogVar + sumOfSquares);
    }

    /**
     * Writes e^{−u} into {@link #inverseVariance}, μ − x into {@code difference} and (μ − x)² e^{−u} into
     * {@code squares}.
     */
    private void scaledSquaresInto(INDArray mean, INDArray x, INDArray u, INDArray difference, INDArray squares) {
        Nd4j.exec(new Exp(u.neg(), inverseVariance));
        Nd4j.exec(new SubOp(mean, x, difference));
        Nd4j.exec(new MulOp(difference, difference, squares));
        squares.muliRowVector(inverseVariance);
    }
}
