package com.sparkvae.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-example scores of a trained model, the anomaly scores users of a VAE expect:
 * <ul>
 *   <li>the negative ELBO, −log p(x | t̂) + KL(q(t|x) ‖ p(t)), with one draw t̂ ~ q;</li>
 *   <li>an importance-sampled estimate of −log p(x) (Burda et al., "Importance Weighted Autoencoders", 2016): with
 *       t_k = m + s ⊙ ε_k, log w_k = log p(x | t_k) + log p(t_k) − log q(t_k | x)
 *       = log p(x | t_k) − ½ Σ_j t_kj² + ½ Σ_j ε_kj² + ½ Σ_j log s_j², and −log p̂(x) = −(logsumexp_k log w_k − log K).
 *       It never exceeds the negative ELBO in expectation and tightens as K grows;</li>
 *   <li>the reconstruction term at the latent mean, −log p(x | m(x)), deterministic;</li>
 *   <li>H(x), the input's own Bernoulli code length Σ_d −[x_d log x_d + (1 − x_d) log(1 − x_d)] under the Bernoulli
 *       likelihood, 0 under the Gaussian (see {@link AnomalyScore});</li>
 *   <li>the latent mean m(x).</li>
 * </ul>
 * {@link Scores#anomaly} combines them into the anomaly score of an {@link AnomalyScore}.
 */
public final class RowScorer {
    private final ElboGradient elbo;
    private final int latent;
    private final boolean bernoulli;

    public RowScorer(Architecture arch, int capacity) {
        this.elbo = new ElboGradient(arch, capacity, DataType.FLOAT);
        this.latent = arch.latentDim();
        this.bernoulli = arch.likelihood() instanceof Likelihood.Bernoulli;
    }

    public int capacity() {
        return elbo.capacity();
    }

    /**
     * Scores of a block of rows: the negative ELBO, −log p(x), −log p(x | m(x)), H(x) (0 under Gaussian) and the
     * latent mean.
     */
    public record Scores(double[] negElbo, double[] negLogLikelihood, double[] reconstructionAtMean,
                         double[] inputEntropy, float[][] latentMean) {

        /** The anomaly score of row {@code i}, of the given type (higher: more anomalous). */
        public double anomaly(AnomalyScore type, int i) {
            return switch (type) {
                case NLL -> negLogLikelihood[i];
                case EXCESS -> negLogLikelihood[i] - inputEntropy[i];
                case RECON -> reconstructionAtMean[i] - inputEntropy[i];
            };
        }
    }

    public Scores score(VaeParameters params, INDArray x, int samples, GaussianNoise noise) {
        if (samples < 1) {
            throw new IllegalArgumentException("importance samples must be at least 1, got " + samples);
        }
        int r = Math.toIntExact(x.rows());
        INDArray[] q = elbo.encode(params, x);
        INDArray mean = q[0];
        INDArray logVar = q[1];
        INDArray sd = org.nd4j.linalg.ops.transforms.Transforms.exp(logVar.mul(0.5), false);
        float[] m = HostArrays.toFloatArray(mean);
        float[] v = HostArrays.toFloatArray(logVar);
        double[] kl = new double[r];
        double[] sumLogVar = new double[r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < latent; j++) {
                double mj = m[i * latent + j];
                double vj = v[i * latent + j];
                kl[i] += 0.5 * (Math.exp(vj) + mj * mj - 1 - vj);
                sumLogVar[i] += vj;
            }
        }
        double[][] logW = new double[samples][];
        double[] negElbo = new double[r];
        INDArray eps = Nd4j.create(DataType.FLOAT, r, latent);
        for (int k = 0; k < samples; k++) {
            noise.fill(eps);
            INDArray t = sd.mul(eps).addi(mean);
            double[] nll = elbo.negLogLikelihoodPerRow(params, x, t);
            float[] tv = HostArrays.toFloatArray(t);
            float[] ev = HostArrays.toFloatArray(eps);
            logW[k] = new double[r];
            for (int i = 0; i < r; i++) {
                double tt = 0;
                double ee = 0;
                for (int j = 0; j < latent; j++) {
                    tt += (double) tv[i * latent + j] * tv[i * latent + j];
                    ee += (double) ev[i * latent + j] * ev[i * latent + j];
                }
                logW[k][i] = -nll[i] - 0.5 * tt + 0.5 * ee + 0.5 * sumLogVar[i];
                if (k == 0) {
                    negElbo[i] = nll[i] + kl[i];
                }
            }
        }
        double[] negLogLik = new double[r];
        for (int i = 0; i < r; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < samples; k++) {
                max = Math.max(max, logW[k][i]);
            }
            double sum = 0;
            for (int k = 0; k < samples; k++) {
                sum += Math.exp(logW[k][i] - max);
            }
            negLogLik[i] = -(max + Math.log(sum) - Math.log(samples));
        }
        float[][] means = new float[r][latent];
        for (int i = 0; i < r; i++) {
            System.arraycopy(m, i * latent, means[i], 0, latent);
        }
        double[] atMean = elbo.negLogLikelihoodPerRow(params, x, mean);
        return new Scores(negElbo, negLogLik, atMean, inputEntropy(x, r), means);
    }

    /**
     * H(x) per row under the Bernoulli likelihood (0 log 0 = 0, values outside [0, 1] clipped into it); zeros under
     * the Gaussian.
     */
    private double[] inputEntropy(INDArray x, int r) {
        double[] h = new double[r];
        if (!bernoulli) {
            return h;
        }
        float[] v = HostArrays.toFloatArray(x);
        int dim = v.length / Math.max(r, 1);
        for (int i = 0; i < r; i++) {
            double sum = 0;
            for (int d = i * dim; d < (i + 1) * dim; d++) {
                double p = Math.min(Math.max(v[d], 0.0), 1.0);
                if (p > 0 && p < 1) {
                    sum -= p * Math.log(p) + (1 - p) * Math.log1p(-p);
                }
            }
            h[i] = sum;
        }
        return h;
    }
}
