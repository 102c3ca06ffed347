/**
 * Pictures of a model and a run: image grids of samples and reconstructions, and the ELBO curve.
 *
 * <p>Uses {@code store} (a run's epoch metrics) and the model module.
 */
package com.sparkvae.job.report;
