package com.sparkvae.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SoftPlus;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Bernoulli reconstruction term with ND4J ops, in double precision (the gradient checks; single precision goes
 * through {@link FloatBernoulliTerm}): −log p(x | l) = Σ_d softplus(l_d) − x_d l_d for logits l, as Σ softplus(l)
 * minus Σ x l, the second a BLAS dot product; ∂/∂l = σ(l) − x.
 */
final class DoubleBernoulliTerm implements ReconstructionTerm {
    private final OutputScratch scratch;

    DoubleBernoulliTerm(int inputDim, int capacity, DataType type) {
        this.scratch = new OutputScratch(inputDim, capacity, type);
    }

    @Override
    public double loss(VaeParameters params, INDArray out, INDArray x) {
        OutputScratch s = scratch.rows(Math.toIntExact(out.rows()));
        return softplusInto(out, s) - OutputScratch.dot(x, out);
    }

    @Override
    public double lossAndGradient(VaeParameters params, INDArray out, INDArray x, double scale, INDArray dOut,
                                  VaeParameters gradient, double beta) {
        OutputScratch s = scratch.rows(Math.toIntExact(out.rows()));
        double softplus = softplusInto(out, s);
        double crossTerm = OutputScratch.dot(x, out);
        Nd4j.exec(new Sigmoid(out, dOut));
        dOut.subi(x);
        if (scale != 1.0) {
            dOut.muli(scale);
        }
        return softplus - crossTerm;
    }

    @Override
    public double[] lossPerRow(VaeParameters params, INDArray out, INDArray x) {
        OutputScratch s = scratch.rows(Math.toIntExact(out.rows()));
        // softplus(l) − x l per element, then row sums.
        softplusInto(out, s);
        Nd4j.exec(new MulOp(x, out, s.second()));
        s.first().subi(s.second());
        return s.rowSums(s.first(), 1.0).toDoubleVector();
    }

    /**
     * Writes softplus(l) for the logits {@code out} into the first scratch block and returns their sum. One native
     * pass computes log(1 + e^l), which overflows for a logit above ~709; then the overflow-free form max(l, 0) +
     * log1p(e^{−|l|}) is used instead (with the second scratch block).
     */
    private static double softplusInto(INDArray out, OutputScratch s) {
        INDArray terms = s.first();
        Nd4j.exec(new SoftPlus(out, terms));
        double total = s.sum(terms);
        if (Double.isFinite(total)) {
            return total;
        }
        Nd4j.exec(new Abs(out, terms));
        terms.negi();
        Nd4j.exec(new Exp(terms, terms));
        Nd4j.exec(new Log1p(terms, terms));
        Nd4j.exec(new RectifiedLinear(out, s.second(), 0.0));
        terms.addi(s.second());
        return s.sum(terms);
    }
}
