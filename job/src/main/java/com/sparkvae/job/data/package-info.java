/**
 * Reading data: one reader per source behind {@link com.sparkvae.job.data.RowSource} (IDX and CSV files through
 * Hadoop's FileSystem, and {@link com.sparkvae.job.data.SparkSource}: catalog tables and files of any Spark data
 * source, filtered as read, with feature columns resolved by name or glob); each row checked once
 * ({@link com.sparkvae.job.data.BadRows}: fail, skip or keep a missing value for imputation), packed once into
 * contiguous {@link com.sparkvae.job.data.RowBlock}s and persisted as one partition per shard
 * ({@link com.sparkvae.job.data.ShardedData}), with per-column statistics
 * ({@link com.sparkvae.job.data.ColumnStats}) from which {@link com.sparkvae.job.data.FeatureScaling} fits the
 * model's feature transform.
 *
 * <p>Uses the root package and the model module.
 */
package com.sparkvae.job.data;
