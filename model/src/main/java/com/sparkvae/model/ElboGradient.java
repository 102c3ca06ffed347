package com.sparkvae.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SoftPlus;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The negative ELBO of a block of examples and its gradient with respect to all parameters (φ and w).
 *
 * <p>For one example x, with encoder outputs m = m(x, φ) and v = log s²(x, φ) and draws ε_l ~ N(0, I),
 * t̂_l = m + s ⊙ ε_l (the reparameterisation, so the gradient reaches φ through t̂):
 * <pre>
 *   −ELBO(x) ≈ (1/L) Σ_l −log p(x | t̂_l, w)  +  KL,     KL = Σ_j ( −log s_j + (s_j² + m_j² − 1)/2 )
 *   ∂KL/∂m = m,   ∂KL/∂v = (s² − 1)/2,   ∂t̂/∂m = 1,   ∂t̂/∂v = s ⊙ ε / 2
 * </pre>
 * Bernoulli: −log p = Σ_d softplus(l_d) − x_d l_d, computed as max(l, 0) − x l + log1p(e^{−|l|}) so that no
 * exponential overflows; ∂/∂l = σ(l) − x. Gaussian with log-variance u: −log p = ½ Σ_d [log 2π + u_d +
 * (x_d − μ_d)² e^{−u_d}]; ∂/∂μ = (μ − x) e^{−u}, ∂/∂u = ½ (1 − (x − μ)² e^{−u}).
 *
 * <p>Both methods return <em>sums</em> over the block's rows and {@link #accumulateGradient} <em>adds</em> the summed
 * gradient into a buffer owned by the caller: the caller decides how the sum is scaled (the minibatch estimator's
 * N/n, see {@link ShardTrainer}). An instance owns working buffers for up to {@link #capacity()} rows and is not
 * thread-safe; reuse it across calls, as building it allocates.
 */
public final class ElboGradient {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Architecture arch;
    private final ParameterLayout layout;
    private final DataType type;
    private final int capacity;
    private final Buffers full;
    private final LatentSide latent;
    private final HeapBernoulli heap;
    private final HeapRelu relu;
    private Buffers rows;
    private INDArray onesColumn;

    public ElboGradient(Architecture arch, int capacity, DataType type) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 row, got " + capacity);
        }
        this.arch = arch;
        this.layout = new ParameterLayout(arch);
        this.type = type;
        this.capacity = capacity;
        this.full = new Buffers(capacity);
        this.latent = new LatentSide(arch.latentDim(), full.mu, full.logVar, full.t, full.dT, full.dMu, full.dLogVar);
        this.rows = full;
        this.heap = type == DataType.FLOAT && arch.likelihood() instanceof Likelihood.Bernoulli
                ? new HeapBernoulli(capacity * arch.inputDim()) : null;
        // The widest hidden layer: the encoder's are arch.hidden(), and the decoder's mirror them.
        int widestHidden = arch.hidden().stream().mapToInt(Integer::intValue).max().orElse(0);
        this.relu = type == DataType.FLOAT && arch.activation() == Activation.RELU
                ? new HeapRelu(capacity * widestHidden) : null;
    }

    public Architecture architecture() {
        return arch;
    }

    public int capacity() {
        return capacity;
    }

    public DataType dataType() {
        return type;
    }

    /**
     * Adds Σ_i ∇(−ELBO(x_i)) over the rows of {@code x} into {@code gradient} and returns the loss sums.
     *
     * @param x an {@code r × inputDim} contiguous block, r ≤ capacity, of the parameters' data type
     * @param noise the source of ε; L · r · latentDim draws are taken
     */
    public LossSums accumulateGradient(VaeParameters params, INDArray x, GaussianNoise noise, VaeParameters gradient) {
        return run(params, x, noise, gradient, false);
    }

    /**
     * Like {@link #accumulateGradient}, but <em>overwrites</em> {@code gradient} with the sum: each parameter's
     * first product writes instead of adding (BLAS with β = 0), so the caller need not zero the buffer between
     * minibatches, a pass over every parameter saved.
     */
    public LossSums writeGradient(VaeParameters params, INDArray x, GaussianNoise noise, VaeParameters gradient) {
        return run(params, x, noise, gradient, true);
    }

    /** The loss sums of the rows of {@code x}, without gradient. */
    public LossSums evaluate(VaeParameters params, INDArray x, GaussianNoise noise) {
        return run(params, x, noise, null, false);
    }

    /**
     * The encoder's outputs for the rows of {@code x}: the means m(x) and log-variances log s²(x), as new
     * {@code r × latentDim} arrays.
     */
    public INDArray[] encode(VaeParameters p, INDArray x) {
        Buffers b = buffersFor(checkBlock(x));
        encodeInto(p, x, b);
        return new INDArray[] {b.mu.dup(), b.logVar.dup()};
    }

    /**
     * The decoder's outputs for latent points {@code t} ({@code r × latentDim}): the logits of the Bernoulli, or
     * the means of the Gaussian, as a new {@code r × inputDim} array.
     */
    public INDArray decode(VaeParameters p, INDArray t) {
        int r = Math.toIntExact(t.rows());
        if (t.rank() != 2 || r < 1 || r > capacity || t.columns() != arch.latentDim()) {
            throw new IllegalArgumentException("latent block of shape " + java.util.Arrays.toString(t.shape())
                    + " does not fit " + capacity + " × " + arch.latentDim());
        }
        Buffers b = buffersFor(r);
        decodeInto(p, t, b);
        return b.out.dup();
    }

    /**
     * −log p(x_i | t_i, w) for each row i, with row i of {@code t} decoding row i of {@code x}. Row sums are one
     * matrix-vector product with a ones column.
     */
    public double[] negLogLikelihoodPerRow(VaeParameters p, INDArray x, INDArray t) {
        int r = checkBlock(x);
        if (t.rows() != r || t.columns() != arch.latentDim()) {
            throw new IllegalArgumentException("latent block of shape " + java.util.Arrays.toString(t.shape())
                    + " does not match " + r + " rows of data");
        }
        Buffers b = buffersFor(r);
        decodeInto(p, t, b);
        if (heap != null) {
            return heap.negLogLikelihoodPerRow(b.out, x, r, arch.inputDim());
        }
        INDArray rowSums = Nd4j.create(type, r, 1);
        if (arch.likelihood() instanceof Likelihood.Bernoulli) {
            // softplus(l) − x l per element, then row sums.
            softplusInto(b);
            Nd4j.exec(new MulOp(x, b.out, b.dOut));
            b.scratchD.subi(b.dOut);
            Blas.gemm(b.scratchD, onesColumn(), rowSums, false, false, 1.0, 0.0);
        } else {
            INDArray u = observationLogVariance(p, b);
            scaledSquaresInto(x, b, u);
            Blas.gemm(b.scratchD, onesColumn(), rowSums, false, false, 0.5, 0.0);
            rowSums.addi(0.5 * (arch.inputDim() * LOG_2PI + u.sumNumber().doubleValue()));
        }
        return rowSums.toDoubleVector();
    }

    private INDArray onesColumn() {
        if (onesColumn == null) {
            onesColumn = Nd4j.ones(type, arch.inputDim(), 1);
        }
        return onesColumn;
    }

    /** Runs the decoder from t into b.out and returns its last hidden activation (t itself if none). */
    private INDArray decodeInto(VaeParameters p, INDArray t, Buffers b) {
        INDArray dec = t;
        for (int i = 0; i < layout.decoder().size(); i++) {
            dense(p, layout.decoder().get(i), dec, b.decZ[i], b);
            activate(b.decZ[i], b.decA[i]);
            dec = b.decA[i];
        }
        dense(p, layout.output(), dec, b.out, b);
        return dec;
    }

    /** Runs the encoder into b.mu and b.logVar and returns its last hidden activation (x itself if none). */
    private INDArray encodeInto(VaeParameters p, INDArray x, Buffers b) {
        INDArray in = x;
        for (int i = 0; i < layout.encoder().size(); i++) {
            dense(p, layout.encoder().get(i), in, b.encZ[i], b);
            activate(b.encZ[i], b.encA[i]);
            in = b.encA[i];
        }
        dense(p, layout.meanHead(), in, b.mu, b);
        dense(p, layout.logVarianceHead(), in, b.logVar, b);
        return in;
    }

    private int checkBlock(INDArray x) {
        int r = Math.toIntExact(x.rows());
        if (x.rank() != 2 || r < 1 || r > capacity || x.columns() != arch.inputDim()) {
            throw new IllegalArgumentException("block of shape " + java.util.Arrays.toString(x.shape())
                    + " does not fit " + capacity + " × " + arch.inputDim());
        }
        if (x.dataType() != type) {
            throw new IllegalArgumentException("block is " + x.dataType() + ", the model computes in " + type);
        }
        return r;
    }

    private Buffers buffersFor(int r) {
        if (rows.r != r) {
            rows = r == capacity ? full : full.firstRows(r);
        }
        return rows;
    }

    /** @param overwrite whether the first contribution to each gradient entry replaces it rather than adding */
    private LossSums run(VaeParameters p, INDArray x, GaussianNoise noise, VaeParameters g, boolean overwrite) {
        int r = checkBlock(x);
        Buffers b = buffersFor(r);

        // Encoder: hidden layers, then the two heads m and v = log s².
        INDArray encOut = encodeInto(p, x, b);
        double kl = latent.readEncoder(r);

        INDArray obsLogVar = observationLogVariance(p, b);
        int samples = arch.samples();
        double reconstruction = 0;
        for (int l = 0; l < samples; l++) {
            latent.sample(r, noise);
            INDArray dec = decodeInto(p, b.t, b);
            double beta = overwrite && l == 0 ? 0.0 : 1.0;      // the decoder's gradients, once per sample
            reconstruction += g == null
                    ? reconstruction(x, b, obsLogVar, r, null, 1.0, beta)
                    : reconstruction(x, b, obsLogVar, r, g, 1.0 / samples, beta);
            if (g != null) {
                backwardDecoder(p, g, b, dec, beta);
                latent.backSample(r, l == 0);
            }
        }
        reconstruction /= samples;

        if (g != null) {
            latent.writeHeadGradients(r);
            backwardEncoder(p, g, b, x, encOut, overwrite ? 0.0 : 1.0);
        }
        return new LossSums(reconstruction, kl, r);
    }

    /** a = f(z) for a hidden layer. */
    private void activate(INDArray z, INDArray a) {
        if (relu != null) {
            relu.forward(z, a);
        } else {
            arch.activation().forward(z, a);
        }
    }

    /** dZ = dA ⊙ f'(z) for a hidden layer. */
    private void activationBackward(INDArray z, INDArray dA, INDArray dZ) {
        if (relu != null) {
            relu.backward(z, dA, dZ);
        } else {
            arch.activation().backward(z, dA, dZ);
        }
    }

    /**
     * y = x W + b for one layer. The bias enters as the rank-one product 1 b, then x W is added: two BLAS calls
     * cost less than ND4J's row broadcast (10 µs against 17-20 µs for a 64 × 400 block here).
     */
    private static void dense(VaeParameters p, DenseSlot slot, INDArray x, INDArray y, Buffers b) {
        Blas.gemm(b.ones, p.bias(slot), y, false, false, 1.0, 0.0);
        Blas.gemm(x, p.weights(slot), y, false, false, 1.0, 1.0);
    }

    private INDArray observationLogVariance(VaeParameters p, Buffers b) {
        if (!(arch.likelihood() instanceof Likelihood.Gaussian gaussian)) {
            return null;
        }
        return gaussian.learned() ? p.observationLogVariance() : b.fixedObsLogVar;
    }

    /**
     * The reconstruction sum −Σ log p(x | decoder output) of one sample; when {@code g} is given, also writes
     * {@code scale} · ∂/∂output into {@code b.dOut} and adds the learned log-variance's gradient into β times what
     * {@code g} held.
     */
    private double reconstruction(INDArray x, Buffers b, INDArray obsLogVar, int r, VaeParameters g, double scale,
                                  double beta) {
        if (heap != null) {
            return heap.reconstruction(b.out, x, r * arch.inputDim(), g == null ? null : b.dOut, (float) scale);
        }
        if (arch.likelihood() instanceof Likelihood.Bernoulli) {
            // Double precision (gradient checks): Σ softplus(l), then Σ x l as a BLAS dot product.
            double softplus = softplusInto(b);
            double crossTerm = dot(x, b.out);
            if (g != null) {
                Nd4j.exec(new Sigmoid(b.out, b.dOut));
                b.dOut.subi(x);
                if (scale != 1.0) {
                    b.dOut.muli(scale);
                }
            }
            return softplus - crossTerm;
        }
        scaledSquaresInto(x, b, obsLogVar);
        double squares = sum(b.scratchD, b.onesD);
        double sumLogVar = obsLogVar.sumNumber().doubleValue();
        if (g != null) {
            b.dOut.muliRowVector(b.invObsVar);
            if (scale != 1.0) {
                b.dOut.muli(scale);
            }
            if (layout.hasObservationLogVariance()) {
                // ∂/∂u_d = ½ Σ_i (1 − (x − μ)² e^{−u}) = ½ r − ½ Σ_i scratchD_id
                INDArray du = g.observationLogVariance();
                Blas.gemm(b.ones, b.scratchD, du, true, false, -0.5 * scale, beta);
                du.addi(0.5 * r * scale);
            }
        }
        return 0.5 * ((double) r * arch.inputDim() * LOG_2PI + r * sumLogVar + squares);
    }

    /**
     * Gaussian: writes e^{−u} into b.invObsVar, μ − x into b.dOut and (μ − x)² e^{−u} into b.scratchD, for the means
     * μ in b.out and the log-variance row u.
     */
    private static void scaledSquaresInto(INDArray x, Buffers b, INDArray u) {
        Nd4j.exec(new Exp(u.neg(), b.invObsVar));
        Nd4j.exec(new SubOp(b.out, x, b.dOut));
        Nd4j.exec(new MulOp(b.dOut, b.dOut, b.scratchD));
        b.scratchD.muliRowVector(b.invObsVar);
    }

    /**
     * Writes softplus(l) for the logits in b.out into b.scratchD and returns their sum, in double precision (single
     * precision goes through {@link BernoulliTerms}). One native pass computes log(1 + e^l), which overflows for a
     * logit above ~709; then the overflow-free form max(l, 0) + log1p(e^{−|l|}) is used instead (with b.dOut as
     * scratch).
     */
    private static double softplusInto(Buffers b) {
        Nd4j.exec(new SoftPlus(b.out, b.scratchD));
        double total = sum(b.scratchD, b.onesD);
        if (Double.isFinite(total)) {
            return total;
        }
        Nd4j.exec(new Abs(b.out, b.scratchD));
        b.scratchD.negi();
        Nd4j.exec(new Exp(b.scratchD, b.scratchD));
        Nd4j.exec(new Log1p(b.scratchD, b.scratchD));
        Nd4j.exec(new RectifiedLinear(b.out, b.dOut, 0.0));
        b.scratchD.addi(b.dOut);
        return sum(b.scratchD, b.onesD);
    }

    /** The sum of a contiguous block, as a BLAS dot product with ones (far cheaper than ND4J's reduction op). */
    private static double sum(INDArray a, INDArray ones) {
        return dot(a, ones);
    }

    private static double dot(INDArray a, INDArray b) {
        return Nd4j.getBlasWrapper().dot(a.reshape(a.length()), b.reshape(b.length()));
    }

    /** Backpropagates b.dOut through the decoder into g and into b.dT, the gradient with respect to t̂. */
    private void backwardDecoder(VaeParameters p, VaeParameters g, Buffers b, INDArray decOut, double beta) {
        backwardDense(p, g, b, layout.output(), decOut, b.dOut, layout.decoder().isEmpty() ? b.dT
                : b.decDA[layout.decoder().size() - 1], beta);
        for (int i = layout.decoder().size() - 1; i >= 0; i--) {
            activationBackward(b.decZ[i], b.decDA[i], b.decDZ[i]);
            INDArray input = i == 0 ? b.t : b.decA[i - 1];
            INDArray dInput = i == 0 ? b.dT : b.decDA[i - 1];
            backwardDense(p, g, b, layout.decoder().get(i), input, b.decDZ[i], dInput, beta);
        }
    }

    private void backwardEncoder(VaeParameters p, VaeParameters g, Buffers b, INDArray x, INDArray encOut,
                                 double beta) {
        int k = layout.encoder().size();
        INDArray dEncOut = k == 0 ? null : b.encDA[k - 1];
        backwardDense(p, g, b, layout.meanHead(), encOut, b.dMu, dEncOut, beta);
        if (dEncOut != null) {
            // dA_k = dMu W_mᵀ + dV W_vᵀ: the second product is added onto the first.
            addBackwardDense(p, g, b, layout.logVarianceHead(), encOut, b.dLogVar, dEncOut, beta);
        } else {
            backwardDense(p, g, b, layout.logVarianceHead(), encOut, b.dLogVar, null, beta);
        }
        for (int i = k - 1; i >= 0; i--) {
            activationBackward(b.encZ[i], b.encDA[i], b.encDZ[i]);
            INDArray input = i == 0 ? x : b.encA[i - 1];
            INDArray dInput = i == 0 ? null : b.encDA[i - 1];
            backwardDense(p, g, b, layout.encoder().get(i), input, b.encDZ[i], dInput, beta);
        }
    }

    /**
     * For y = x W + b with upstream dY: adds xᵀ dY to β dW and the column sums of dY to β db (β = 1 adds, 0
     * overwrites), and, when {@code dX} is given, writes dY Wᵀ into it.
     */
    private static void backwardDense(VaeParameters p, VaeParameters g, Buffers b, DenseSlot slot, INDArray x,
                                      INDArray dY, INDArray dX, double beta) {
        accumulateWeights(g, b, slot, x, dY, beta);
        if (dX != null) {
            Blas.gemm(dY, p.weights(slot), dX, false, true, 1.0, 0.0);
        }
    }

    private static void addBackwardDense(VaeParameters p, VaeParameters g, Buffers b, DenseSlot slot, INDArray x,
                                         INDArray dY, INDArray dX, double beta) {
        accumulateWeights(g, b, slot, x, dY, beta);
        Blas.gemm(dY, p.weights(slot), dX, false, true, 1.0, 1.0);
    }

    private static void accumulateWeights(VaeParameters g, Buffers b, DenseSlot slot, INDArray x, INDArray dY,
                                          double beta) {
        Blas.gemm(x, dY, g.weights(slot), true, false, 1.0, beta);
        Blas.gemm(b.ones, dY, g.bias(slot), true, false, 1.0, beta);
    }

    /**
     * The Bernoulli decoder's loss and logit gradient in single precision, computed by {@link BernoulliTerms} on heap
     * copies of the logits and data: one vectorised pass where ND4J's ops take several scalar ones.
     */
    private static final class HeapBernoulli {
        final BernoulliTerms terms;
        final float[] logits;
        final float[] data;
        final float[] perElement;       // the logit gradient, or each element's loss

        HeapBernoulli(int capacity) {
            terms = new BernoulliTerms(capacity);
            logits = new float[capacity];
            data = new float[capacity];
            perElement = new float[capacity];
        }

        /** −Σ log p(x | l) over the first {@code count} elements; writes scale · ∂/∂l into {@code dOut} if given. */
        double reconstruction(INDArray out, INDArray x, int count, INDArray dOut, float scale) {
            load(out, x, count);
            double loss = terms.lossAndGradient(logits, data, count, scale, dOut == null ? null : perElement);
            if (dOut != null) {
                HostArrays.copyInto(perElement, 0, count, dOut);
            }
            return loss;
        }

        /** −log p(x_i | l_i) for each of {@code rows} rows of {@code cols} elements. */
        double[] negLogLikelihoodPerRow(INDArray out, INDArray x, int rows, int cols) {
            load(out, x, rows * cols);
            terms.lossTerms(logits, data, rows * cols, perElement);
            double[] sums = new double[rows];
            for (int i = 0; i < rows; i++) {
                double sum = 0;
                for (int k = i * cols; k < (i + 1) * cols; k++) {
                    sum += perElement[k];
                }
                sums[i] = sum;
            }
            return sums;
        }

        private void load(INDArray out, INDArray x, int count) {
            HostArrays.copyFrom(out, logits, count);
            HostArrays.copyFrom(x, data, count);
        }
    }

    /** Working arrays for a block of r rows; {@link #firstRows} gives views of the first rows of full-size buffers. */
    private final class Buffers {
        final int r;
        final INDArray[] encZ;
        final INDArray[] encA;
        final INDArray[] encDA;
        final INDArray[] encDZ;
        final INDArray[] decZ;
        final INDArray[] decA;
        final INDArray[] decDA;
        final INDArray[] decDZ;
        final INDArray mu;
        final INDArray logVar;
        final INDArray t;
        final INDArray dT;
        final INDArray dMu;
        final INDArray dLogVar;
        final INDArray out;
        final INDArray dOut;
        final INDArray scratchD;
        final INDArray ones;
        final INDArray onesD;
        final INDArray invObsVar;
        final INDArray fixedObsLogVar;

        Buffers(int r) {
            this.r = r;
            List<DenseSlot> enc = layout.encoder();
            List<DenseSlot> dec = layout.decoder();
            encZ = new INDArray[enc.size()];
            encA = new INDArray[enc.size()];
            encDA = new INDArray[enc.size()];
            encDZ = new INDArray[enc.size()];
            for (int i = 0; i < enc.size(); i++) {
                encZ[i] = matrix(r, enc.get(i).out());
                encA[i] = matrix(r, enc.get(i).out());
                encDA[i] = matrix(r, enc.get(i).out());
                encDZ[i] = matrix(r, enc.get(i).out());
            }
            decZ = new INDArray[dec.size()];
            decA = new INDArray[dec.size()];
            decDA = new INDArray[dec.size()];
            decDZ = new INDArray[dec.size()];
            for (int i = 0; i < dec.size(); i++) {
                decZ[i] = matrix(r, dec.get(i).out());
                decA[i] = matrix(r, dec.get(i).out());
                decDA[i] = matrix(r, dec.get(i).out());
                decDZ[i] = matrix(r, dec.get(i).out());
            }
            int z = arch.latentDim();
            int d = arch.inputDim();
            mu = matrix(r, z);
            logVar = matrix(r, z);
            t = matrix(r, z);
            dT = matrix(r, z);
            dMu = matrix(r, z);
            dLogVar = matrix(r, z);
            out = matrix(r, d);
            dOut = matrix(r, d);
            scratchD = matrix(r, d);
            ones = Nd4j.ones(type, r, 1);
            onesD = Nd4j.ones(type, r, d);
            invObsVar = matrix(1, d);
            fixedObsLogVar = arch.likelihood() instanceof Likelihood.Gaussian gaussian
                    ? Nd4j.valueArrayOf(new long[] {1, d}, gaussian.logVariance(), type) : null;
        }

        private Buffers(Buffers src, int r) {
            this.r = r;
            encZ = firstRows(src.encZ, r);
            encA = firstRows(src.encA, r);
            encDA = firstRows(src.encDA, r);
            encDZ = firstRows(src.encDZ, r);
            decZ = firstRows(src.decZ, r);
            decA = firstRows(src.decA, r);
            decDA = firstRows(src.decDA, r);
            decDZ = firstRows(src.decDZ, r);
            mu = HostArrays.firstRows(src.mu, r);
            logVar = HostArrays.firstRows(src.logVar, r);
            t = HostArrays.firstRows(src.t, r);
            dT = HostArrays.firstRows(src.dT, r);
            dMu = HostArrays.firstRows(src.dMu, r);
            dLogVar = HostArrays.firstRows(src.dLogVar, r);
            out = HostArrays.firstRows(src.out, r);
            dOut = HostArrays.firstRows(src.dOut, r);
            scratchD = HostArrays.firstRows(src.scratchD, r);
            ones = HostArrays.firstRows(src.ones, r);
            onesD = HostArrays.firstRows(src.onesD, r);
            invObsVar = src.invObsVar;
            fixedObsLogVar = src.fixedObsLogVar;
        }

        Buffers firstRows(int r) {
            return new Buffers(this, r);
        }

        private INDArray matrix(int rows, int cols) {
            return Nd4j.create(type, new long[] {rows, cols}, 'c');
        }

        private static INDArray[] firstRows(INDArray[] a, int r) {
            INDArray[] out = new INDArray[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = HostArrays.firstRows(a[i], r);
            }
            return out;
        }
    }
}
