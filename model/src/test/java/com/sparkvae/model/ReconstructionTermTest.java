package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every {@link ReconstructionTerm} keeps the interface's contract, checked through the interface alone: the gradient
 * at the decoder output and the term's own parameters' gradient equal central finite differences of its loss (in
 * double precision), scaled and written or added as asked; nothing else in the gradient is touched; the loss with the
 * gradient is the loss; the per-row losses add up to it. Blocks of fewer rows than the capacity included. A new
 * likelihood adds its cases to {@link #terms()}.
 */
class ReconstructionTermTest {
    private static final int INPUT = 5;
    private static final int CAPACITY = 4;
    private static final double SCALE = 0.5;
    private static final double HELD = 7.0;

    static Stream<Arguments> terms() {
        return Stream.of(
                Arguments.of(new Likelihood.Bernoulli(), DataType.DOUBLE),
                Arguments.of(new Likelihood.Bernoulli(), DataType.FLOAT),
                Arguments.of(new Likelihood.Gaussian(true, 0.3), DataType.DOUBLE),
                Arguments.of(new Likelihood.Gaussian(true, 0.3), DataType.FLOAT),
                Arguments.of(new Likelihood.Gaussian(false, -0.5), DataType.DOUBLE),
                Arguments.of(new Likelihood.Gaussian(false, -0.5), DataType.FLOAT));
    }

    static Stream<Arguments> doublePrecisionTerms() {
        return terms().filter(a -> a.get()[1] == DataType.DOUBLE);
    }

    @ParameterizedTest
    @MethodSource("doublePrecisionTerms")
    void outputGradientMatchesFiniteDifferences(Likelihood likelihood, DataType type) {
        ReconstructionTerm term = ReconstructionTerm.create(likelihood, INPUT, CAPACITY, type);
        VaeParameters p = parameters(likelihood, type);
        for (int rows : new int[] {CAPACITY, 2}) {
            INDArray x = data(likelihood, rows, type, 3);
            INDArray out = outputs(rows, type, 4);
            INDArray dOut = Nd4j.create(type, rows, INPUT);
            term.lossAndGradient(p, out, x, SCALE, dOut, VaeParameters.zeros(p.layout(), type), 0.0);
            for (long i = 0; i < out.length(); i++) {
                double numeric = centralDifference(out, i, () -> term.loss(p, out, x));
                assertClose(SCALE * numeric, dOut.getDouble(i), "output " + i + " of " + rows + " rows");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("doublePrecisionTerms")
    void parameterGradientMatchesFiniteDifferencesAndIsWrittenOrAdded(Likelihood likelihood, DataType type) {
        ReconstructionTerm term = ReconstructionTerm.create(likelihood, INPUT, CAPACITY, type);
        VaeParameters p = parameters(likelihood, type);
        INDArray x = data(likelihood, 3, type, 5);
        INDArray out = outputs(3, type, 6);
        INDArray dOut = Nd4j.create(type, 3, INPUT);
        INDArray numeric = Nd4j.zeros(type, p.flat().length());
        if (p.layout().hasObservationLogVariance()) {
            long start = p.layout().observationLogVarianceOffset();
            for (long i = start; i < start + INPUT; i++) {
                numeric.putScalar(i, SCALE * centralDifference(p.flat(), i, () -> term.loss(p, out, x)));
            }
        }
        for (double beta : new double[] {0.0, 1.0}) {
            VaeParameters g = VaeParameters.zeros(p.layout(), type);
            g.flat().assign(HELD);
            term.lossAndGradient(p, out, x, SCALE, dOut, g, beta);
            for (long i = 0; i < numeric.length(); i++) {
                // The term's own entries hold β · 7 + scale · ∂loss/∂θ; every other entry is left at 7.
                boolean own = p.layout().hasObservationLogVariance()
                        && i >= p.layout().observationLogVarianceOffset();
                double expected = own ? beta * HELD + numeric.getDouble(i) : HELD;
                assertClose(expected, g.flat().getDouble(i), "parameter " + i + " at β = " + beta);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("terms")
    void lossWithGradientIsTheLossAndRowLossesAddUpToIt(Likelihood likelihood, DataType type) {
        ReconstructionTerm term = ReconstructionTerm.create(likelihood, INPUT, CAPACITY, type);
        VaeParameters p = parameters(likelihood, type);
        for (int rows : new int[] {3, CAPACITY, 1}) {
            INDArray x = data(likelihood, rows, type, 7 + rows);
            INDArray out = outputs(rows, type, 8 + rows);
            double loss = term.loss(p, out, x);
            INDArray dOut = Nd4j.create(type, rows, INPUT);
            assertEquals(loss, term.lossAndGradient(p, out, x, SCALE, dOut, VaeParameters.zeros(p.layout(), type),
                    1.0), "with the gradient, " + rows + " rows");
            double[] perRow = term.lossPerRow(p, out, x);
            assertEquals(rows, perRow.length);
            double sum = 0;
            for (double v : perRow) {
                sum += v;
            }
            assertEquals(loss, sum, 1e-5 * Math.abs(loss), "row losses of " + rows + " rows");
        }
    }

    /** (f(a_i + h) − f(a_i − h)) / 2h, with a_i restored. */
    private static double centralDifference(INDArray a, long i, java.util.function.DoubleSupplier f) {
        double h = 1e-6;
        double original = a.getDouble(i);
        a.putScalar(i, original + h);
        double plus = f.getAsDouble();
        a.putScalar(i, original - h);
        double minus = f.getAsDouble();
        a.putScalar(i, original);
        return (plus - minus) / (2 * h);
    }

    private static void assertClose(double expected, double actual, String what) {
        double scale = Math.max(1.0, Math.abs(expected) + Math.abs(actual));
        assertTrue(Math.abs(expected - actual) / scale < 1e-6, what + ": expected " + expected + ", got " + actual);
    }

    /** Parameters of a model with this likelihood; a learned log-variance set to differ between features. */
    private static VaeParameters parameters(Likelihood likelihood, DataType type) {
        Architecture arch = new Architecture(INPUT, List.of(), 2, Activation.RELU, likelihood, 1);
        VaeParameters p = VaeParameters.initialise(arch, 1, type);
        if (p.layout().hasObservationLogVariance()) {
            p.observationLogVariance().assign(uniform(1, INPUT, -0.6, 0.6, 2).castTo(type));
        }
        return p;
    }

    /** Data of the likelihood's kind: in [0, 1] for a Bernoulli, around 0 for a Gaussian. */
    private static INDArray data(Likelihood likelihood, int rows, DataType type, long seed) {
        double low = likelihood instanceof Likelihood.Bernoulli ? 0 : -2;
        return uniform(rows, INPUT, low, 1, seed).castTo(type);
    }

    /** Decoder outputs, logits or means, on both sides of 0. */
    private static INDArray outputs(int rows, DataType type, long seed) {
        return uniform(rows, INPUT, -3, 3, seed).castTo(type);
    }

    private static INDArray uniform(int rows, int cols, double low, double high, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextDouble(low, high);
            }
        }
        return Nd4j.createFromArray(v);
    }
}
