/**
 * The commands that use a trained model: {@code score} (per-row scores as Parquet) and {@code sample} (a PNG grid
 * of decoded prior draws).
 *
 * <p>Uses {@code data}, {@code store}, {@code report}, the root package and the model module.
 */
package com.sparkvae.job.score;
