/**
 * Reading data: IDX, CSV and Parquet inputs through Hadoop's FileSystem, each row checked, packed once into
 * contiguous {@link com.sparkvae.job.data.RowBlock}s and persisted as one partition per shard
 * ({@link com.sparkvae.job.data.ShardedData}); the policy for malformed rows.
 *
 * <p>Uses the root package and the model module.
 */
package com.sparkvae.job.data;
