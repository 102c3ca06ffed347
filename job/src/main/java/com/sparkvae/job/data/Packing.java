package com.sparkvae.job.data;

import com.sparkvae.job.DataException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/** Packs checked rows into {@link RowBlock}s, once, a partition at a time. */
final class Packing {
    private Packing() {
    }

    /** Spreads rows over {@code partitions} shards (0 keeps the input's own, and its row order) and packs each. */
    static JavaRDD<RowBlock> pack(JavaRDD<float[]> rows, int partitions, String source) {
        JavaRDD<float[]> spread = partitions == 0 || rows.getNumPartitions() == partitions ? rows
                : rows.repartition(partitions);
        return spread.mapPartitions((Iterator<float[]> it) -> {
            List<RowBlock> out = new ArrayList<>();
            List<float[]> pending = new ArrayList<>();
            int dim = -1;
            int perBlock = 0;
            while (it.hasNext()) {
                float[] row = it.next();
                if (dim < 0) {
                    dim = row.length;
                    perBlock = RowBlock.rowsPerBlock(dim);
                } else if (row.length != dim) {
                    throw new DataException(source + ": a row has " + row.length + " values, others have " + dim);
                }
                pending.add(row);
                if (pending.size() == perBlock) {
                    out.add(concat(pending, dim));
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                out.add(concat(pending, dim));
            }
            return out.iterator();
        });
    }

    private static RowBlock concat(List<float[]> rows, int dim) {
        float[] v = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, v, i * dim, dim);
        }
        return new RowBlock(v, rows.size(), dim);
    }
}
