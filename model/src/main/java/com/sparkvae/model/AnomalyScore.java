package com.sparkvae.model;

/**
 * Which per-row score ranks rows as anomalies (higher is more anomalous), computed by {@link RowScorer} in one place
 * for the {@code score} command and Spark ML's {@code VaeModel}.
 *
 * <p>Why not −log p(x) alone: a VAE gives simple inputs (few, flat grey levels, much background) a high likelihood,
 * so on images an unseen class of simple items can score as <em>more</em> typical than the training classes
 * (Nalisnick et al., "Do Deep Generative Models Know What They Don't Know?", ICLR 2019). Under the Bernoulli
 * likelihood, part of −log p(x) is the input's own code length: no decoder output p can make −log p(x | p) smaller
 * than H(x) = Σ_d −[x_d log x_d + (1 − x_d) log(1 − x_d)], reached at p = x, and H(x) is large for grey pixels
 * whatever the model. Subtracting it leaves what the model fails to explain, Σ_d KL(Bernoulli(x_d) ‖
 * Bernoulli(p_d)) at each draw. H(x) is 0 for binary data, and taken as 0 under the Gaussian likelihood (whose
 * −log p(x) is not inflated that way), so there {@link #EXCESS} equals {@link #NLL}.
 */
public enum AnomalyScore {
    /** −log p(x), importance sampled: the negative log-likelihood under the model. */
    NLL,
    /** −log p(x) − H(x): the likelihood's excess over the input's own Bernoulli code length (Gaussian: −log p(x)). */
    EXCESS,
    /**
     * −log p(x | m(x)) − H(x): the reconstruction error at the latent mean, as excess code length under Bernoulli
     * (Σ_d KL(x_d ‖ p_d)); under Gaussian, −log p(x | m(x)) with the model's variance.
     */
    RECON
}
