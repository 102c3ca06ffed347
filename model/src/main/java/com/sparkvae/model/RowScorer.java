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
 *   <li>the latent mean m(x).</li>
 * </ul>
 */
public final class RowScorer {
    private final ElboGradient elbo;
    private final int latent;

    public RowScorer(Architecture arch, int capacity) {
        this.elbo = new ElboGradient(arch, capacity, DataType.FLOAT);
        this.latent = arch.latentDim();
    }

    public int capacity() {
        return elbo.capacity();
    }

    /** Scores of a block of rows. */
    public record Scores(double[] negElbo, double[] negLogLikelihood, float[][] latentMean) {
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
        return new Scores(negElbo, negLogLik, means);
    }
}
