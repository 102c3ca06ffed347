package com.sparkvae.job.data;

import com.sparkvae.model.FeatureTransform;
import com.sparkvae.model.Shard;
import java.util.List;

/**
 * A partition's cached blocks seen as one {@link Shard}; rows are numbered across blocks in order. The blocks hold
 * the data as read; every row copied out goes through the model's {@link FeatureTransform} (missing values filled,
 * features scaled), so one cached copy serves every transform.
 */
public final class PartitionShard implements Shard {
    private final List<RowBlock> blocks;
    private final long[] starts;
    private final long size;
    private final int dim;
    private final FeatureTransform transform;

    public PartitionShard(List<RowBlock> blocks, int dim, FeatureTransform transform) {
        this.blocks = blocks;
        this.dim = dim;
        this.transform = transform;
        this.starts = new long[blocks.size() + 1];
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).dim() != dim) {
                throw new IllegalStateException("block of width " + blocks.get(i).dim() + " in data of width " + dim);
            }
            starts[i + 1] = starts[i] + blocks.get(i).rows();
        }
        this.size = starts[blocks.size()];
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public void copyRows(long[] indices, int count, float[] dst) {
        for (int s = 0; s < count; s++) {
            copyRow(indices[s], dst, s * dim);
        }
        transform.applyInPlace(dst, 0, count, dim);
    }

    @Override
    public void copyRange(long start, int count, float[] dst) {
        for (int s = 0; s < count; s++) {
            copyRow(start + s, dst, s * dim);
        }
        transform.applyInPlace(dst, 0, count, dim);
    }

    private void copyRow(long row, float[] dst, int offset) {
        int b = blockOf(row);
        RowBlock block = blocks.get(b);
        System.arraycopy(block.values(), (int) (row - starts[b]) * dim, dst, offset, dim);
    }

    private int blockOf(long row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size);
        }
        int i = java.util.Arrays.binarySearch(starts, row);
        return i >= 0 ? i : -i - 2;
    }
}
