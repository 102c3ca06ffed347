/**
 * Pictures of a model and a run, as PNG: grids of decoded samples and reconstructions ({@link
 * com.sparkvae.job.report.ModelPictures} decodes, {@link com.sparkvae.job.report.ImageGrid} draws them pixel by pixel)
 * and the negative ELBO by epoch ({@link com.sparkvae.job.report.ElboChart}, drawn by JFreeChart). All headless, in
 * memory.
 *
 * <p>Uses {@code store} (a run's epoch metrics), the model module, JFreeChart, and Java2D with ImageIO.
 */
package com.sparkvae.job.report;
