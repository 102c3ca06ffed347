package com.sparkvae.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The negative ELBO of a block of examples and its gradient with respect to all parameters (φ and w).
 *
 * <p>For one example x, with encoder outputs m = m(x, φ) and v = log s²(x, φ) and draws ε_l ~ N(0, I),
 * t̂_l = m + s ⊙ ε_l (the reparameterisation, so the gradient reaches φ through t̂):
 * <pre>
 *   −ELBO(x) ≈ (1/L) Σ_l −log p(x | t̂_l, w)  +  KL,     KL = Σ_j ( −log s_j + (s_j² + m_j² − 1)/2 )
 *   ∂KL/∂m = m,   ∂KL/∂v = (s² − 1)/2,   ∂t̂/∂m = 1,   ∂t̂/∂v = s ⊙ ε / 2
 * </pre>
 * The networks' passes live here; −log p(x | t̂, w) and its gradient at the decoder's output come from the
 * {@link ReconstructionTerm} of the architecture's likelihood, and the latent side (the KL term, the draw and its
 * chain rule) from {@link LatentSide}.
 *
 * <p>Both methods return <em>sums</em> over the block's rows and {@link #accumulateGradient} <em>adds</em> the summed
 * gradient into a buffer owned by the caller: the caller decides how the sum is scaled (the minibatch estimator's
 * N/n, see {@link ShardTrainer}). An instance owns working buffers ({@link NetworkBuffers}, and the term's) for up to
 * {@link #capacity()} rows and is not thread-safe; reuse it across calls, as building it allocates.
 */
public final class ElboGradient {
    private final Architecture arch;
    private final ParameterLayout layout;
    private final DataType type;
    private final int capacity;
    private final NetworkBuffers full;
    private final LatentSide latent;
    private final ReconstructionTerm term;
    private final HeapRelu relu;
    private NetworkBuffers current;     // the buffers of the last block size

    public ElboGradient(Architecture arch, int capacity, DataType type) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 row, got " + capacity);
        }
        this.arch = arch;
        this.layout = new ParameterLayout(arch);
        this.type = type;
        this.capacity = capacity;
        this.full = new NetworkBuffers(layout, type, capacity);
        this.latent = new LatentSide(arch.latentDim(), full.mu, full.logVar, full.t, full.dT, full.dMu, full.dLogVar);
        this.current = full;
        this.term = ReconstructionTerm.create(arch.likelihood(), arch.inputDim(), capacity, type);
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
        NetworkBuffers b = buffersFor(checkBlock(x));
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
        NetworkBuffers b = buffersFor(r);
        decodeInto(p, t, b);
        return b.out.dup();
    }

    /** −log p(x_i | t_i, w) for each row i, with row i of {@code t} decoding row i of {@code x}. */
    public double[] negLogLikelihoodPerRow(VaeParameters p, INDArray x, INDArray t) {
        int r = checkBlock(x);
        if (t.rows() != r || t.columns() != arch.latentDim()) {
            throw new IllegalArgumentException("latent block of shape " + java.util.Arrays.toString(t.shape())
                    + " does not match " + r + " rows of data");
        }
        NetworkBuffers b = buffersFor(r);
        decodeInto(p, t, b);
        return term.lossPerRow(p, b.out, x);
    }

    /** Runs the decoder from t into b.out and returns its last hidden activation (t itself if none). */
    private INDArray decodeInto(VaeParameters p, INDArray t, NetworkBuffers b) {
        INDArray dec = t;
        for (int i = 0; i < layout.decoder().size(); i++) {
            NetworkBuffers.Hidden h = b.decoder[i];
            dense(p, layout.decoder().get(i), dec, h.z(), b);
            activate(h.z(), h.a());
            dec = h.a();
        }
        dense(p, layout.output(), dec, b.out, b);
        return dec;
    }

    /** Runs the encoder into b.mu and b.logVar and returns its last hidden activation (x itself if none). */
    private INDArray encodeInto(VaeParameters p, INDArray x, NetworkBuffers b) {
        INDArray in = x;
        for (int i = 0; i < layout.encoder().size(); i++) {
            NetworkBuffers.Hidden h = b.encoder[i];
            dense(p, layout.encoder().get(i), in, h.z(), b);
            activate(h.z(), h.a());
            in = h.a();
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

    private NetworkBuffers buffersFor(int r) {
        if (current.rows != r) {
            current = r == capacity ? full : full.firstRows(r);
        }
        return current;
    }

    /** @param overwrite whether the first contribution to each gradient entry replaces it rather than adding */
    private LossSums run(VaeParameters p, INDArray x, GaussianNoise noise, VaeParameters g, boolean overwrite) {
        int r = checkBlock(x);
        NetworkBuffers b = buffersFor(r);

        // Encoder: hidden layers, then the two heads m and v = log s².
        INDArray encOut = encodeInto(p, x, b);
        double kl = latent.readEncoder(r);

        int samples = arch.samples();
        double reconstruction = 0;
        for (int l = 0; l < samples; l++) {
            latent.sample(r, noise);
            INDArray dec = decodeInto(p, b.t, b);
            if (g == null) {
                reconstruction += term.loss(p, b.out, x);
            } else {
                double beta = overwrite && l == 0 ? 0.0 : 1.0;      // the decoder's gradients, once per sample
                reconstruction += term.lossAndGradient(p, b.out, x, 1.0 / samples, b.dOut, g, beta);
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
     * cost less than ND4J's row broadcast (docs/measurements.md, 2026-11-24).
     */
    private static void dense(VaeParameters p, DenseSlot slot, INDArray x, INDArray y, NetworkBuffers b) {
        Blas.gemm(b.ones, p.bias(slot), y, false, false, 1.0, 0.0);
        Blas.gemm(x, p.weights(slot), y, false, false, 1.0, 1.0);
    }

    /** Backpropagates b.dOut through the decoder into g and into b.dT, the gradient with respect to t̂. */
    private void backwardDecoder(VaeParameters p, VaeParameters g, NetworkBuffers b, INDArray decOut, double beta) {
        NetworkBuffers.Hidden[] dec = b.decoder;
        backwardDense(p, g, b, layout.output(), decOut, b.dOut, dec.length == 0 ? b.dT : dec[dec.length - 1].dA(),
                beta);
        for (int i = dec.length - 1; i >= 0; i--) {
            activationBackward(dec[i].z(), dec[i].dA(), dec[i].dZ());
            INDArray input = i == 0 ? b.t : dec[i - 1].a();
            INDArray dInput = i == 0 ? b.dT : dec[i - 1].dA();
            backwardDense(p, g, b, layout.decoder().get(i), input, dec[i].dZ(), dInput, beta);
        }
    }

    private void backwardEncoder(VaeParameters p, VaeParameters g, NetworkBuffers b, INDArray x, INDArray encOut,
                                 double beta) {
        NetworkBuffers.Hidden[] enc = b.encoder;
        int k = enc.length;
        INDArray dEncOut = k == 0 ? null : enc[k - 1].dA();
        backwardDense(p, g, b, layout.meanHead(), encOut, b.dMu, dEncOut, beta);
        if (dEncOut != null) {
            // dA_k = dMu W_mᵀ + dV W_vᵀ: the second product is added onto the first.
            addBackwardDense(p, g, b, layout.logVarianceHead(), encOut, b.dLogVar, dEncOut, beta);
        } else {
            backwardDense(p, g, b, layout.logVarianceHead(), encOut, b.dLogVar, null, beta);
        }
        for (int i = k - 1; i >= 0; i--) {
            activationBackward(enc[i].z(), enc[i].dA(), enc[i].dZ());
            INDArray input = i == 0 ? x : enc[i - 1].a();
            INDArray dInput = i == 0 ? null : enc[i - 1].dA();
            backwardDense(p, g, b, layout.encoder().get(i), input, enc[i].dZ(), dInput, beta);
        }
    }

    /**
     * For y = x W + b with upstream dY: adds xᵀ dY to β dW and the column sums of dY to β db (β = 1 adds, 0
     * overwrites), and, when {@code dX} is given, writes dY Wᵀ into it.
     */
    private static void backwardDense(VaeParameters p, VaeParameters g, NetworkBuffers b, DenseSlot slot,
                                      INDArray x, INDArray dY, INDArray dX, double beta) {
        accumulateWeights(g, b, slot, x, dY, beta);
        if (dX != null) {
            Blas.gemm(dY, p.weights(slot), dX, false, true, 1.0, 0.0);
        }
    }

    private static void addBackwardDense(VaeParameters p, VaeParameters g, NetworkBuffers b, DenseSlot slot,
                                         INDArray x, INDArray dY, INDArray dX, double beta) {
        accumulateWeights(g, b, slot, x, dY, beta);
        Blas.gemm(dY, p.weights(slot), dX, false, true, 1.0, 1.0);
    }

    private static void accumulateWeights(VaeParameters g, NetworkBuffers b, DenseSlot slot, INDArray x,
                                          INDArray dY, double beta) {
        Blas.gemm(x, dY, g.weights(slot), true, false, 1.0, beta);
        Blas.gemm(b.ones, dY, g.bias(slot), true, false, 1.0, beta);
    }
}
