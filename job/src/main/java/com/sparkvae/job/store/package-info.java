/**
 * What a run leaves on a Hadoop file system: the run directory and its atomic publication, checkpoints, the model
 * file ({@code model.zip}, readable by this job and by DL4J), model roots with their {@code latest} pointer, the
 * records they persist ({@link com.sparkvae.job.store.TrainingState}, {@link com.sparkvae.job.store.EpochMetrics},
 * {@link com.sparkvae.job.store.ModelFeatures}: a model's columns and feature transform), and
 * {@link com.sparkvae.job.store.Json}, the one JSON mapping of the files a run writes.
 *
 * <p>Uses the root package and the model module; no Spark.
 */
package com.sparkvae.job.store;
