/**
 * The commands that use a trained model: {@code score} (per-row scores beside each row's identity, as Parquet files
 * or a catalog table) and {@code sample} (a PNG grid of decoded prior draws).
 *
 * <p>Uses {@code data}, {@code store}, {@code report}, {@code cluster} (whether the executors share the driver's
 * disk, {@link com.sparkvae.job.cluster.SharedStorage}), the root package and the model module.
 */
package com.sparkvae.job.score;
