/**
 * The VAE's mathematics on ND4J, with no Spark: the architecture and parameter layout, the forward and backward
 * passes of the negative ELBO ({@link com.sparkvae.model.ElboGradient}) with a reconstruction term per likelihood
 * ({@code ReconstructionTerm}), the minibatch estimator and local steps
 * ({@link com.sparkvae.model.ShardTrainer}), the optimisers and their state, the learning-rate schedule, per-row
 * scores, and random streams named by seed, round, partition and step.
 *
 * <p>Uses ND4J and OpenBLAS only; the job module builds on it.
 */
package com.sparkvae.model;
