package com.sparkvae.job.cluster;

import com.sparkvae.model.Architecture;
import com.sparkvae.model.FeatureTransform;
import com.sparkvae.model.Optimizer;
import java.io.Serializable;

/**
 * The fixed facts of the rounds of a run, shipped with each task's closure (small: no parameters in it; the
 * transform holds a few numbers per feature, none without scaling). {@code batchSizes[p]} is partition p's share n_p
 * of the global minibatch; {@code transform} is what every row goes through as it is copied out of the cache.
 */
public record RoundPlan(Architecture architecture, Optimizer optimizer, int[] batchSizes, int capacity, long seed,
                        FeatureTransform transform) implements Serializable {

    /**
     * Splits the global minibatch n across shards in proportion to their sizes, n_p = round(n · N_p / N), at
     * least 1 for a non-empty shard, so every point is equally likely to be drawn whatever shard it sits in.
     */
    public static int[] splitBatch(int globalBatch, long[] shardSizes) {
        long total = 0;
        for (long s : shardSizes) {
            total += s;
        }
        int[] out = new int[shardSizes.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = shardSizes[p] == 0 ? 0 : (int) Math.max(1, Math.round((double) globalBatch * shardSizes[p] / total));
        }
        return out;
    }
}
