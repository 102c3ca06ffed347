/**
 * The job's shared vocabulary: every command's options declared once ({@link com.sparkvae.job.TrainSettings},
 * {@link com.sparkvae.job.ScoreSettings}) with their converters, the typed configurations built from them
 * ({@link com.sparkvae.job.TrainConfig}, {@link com.sparkvae.job.ScoreConfig},
 * {@link com.sparkvae.job.SampleConfig}), the choices they take, and the exceptions that map to exit codes.
 *
 * <p>Uses only the model module. Every other package of the job may use this one.
 */
package com.sparkvae.job;
