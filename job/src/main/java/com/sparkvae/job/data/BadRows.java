package com.sparkvae.job.data;

import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.DataException;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * What to do with a malformed row (wrong width, a non-numeric field, a NaN or infinite value, a value outside [0, 1]
 * under the Bernoulli likelihood): fail the job naming the file and the row's position, or skip it, counting the
 * skipped rows and keeping the first few for the log and the manifest.
 */
public final class BadRows implements Serializable {
    static final int EXAMPLES_KEPT = 5;

    private final boolean skip;
    private final boolean unitInterval;
    private final LongAccumulator skipped;
    private final CollectionAccumulator<String> examples;

    BadRows(SparkContext sc, BadRowPolicy policy, boolean unitInterval, String name) {
        this.skip = policy == BadRowPolicy.SKIP;
        this.unitInterval = unitInterval;
        this.skipped = sc.longAccumulator("bad rows skipped in " + name);
        this.examples = sc.collectionAccumulator("bad rows of " + name);
    }

    /** A problem found at {@code where} (file and position): thrown, or counted when skipping. */
    void reject(String where, String problem) {
        String message = where + ": " + problem;
        if (!skip) {
            throw new DataException(message);
        }
        skipped.add(1);
        if (examples.value().size() < EXAMPLES_KEPT) {
            examples.add(message);
        }
    }

    /** Whether a parsed row is usable; a bad value is rejected (thrown, or counted) with its column. */
    boolean accept(float[] row, String where) {
        for (int j = 0; j < row.length; j++) {
            float x = row[j];
            if (!Float.isFinite(x)) {
                reject(where, "value " + x + " in column " + (j + 1) + "; every value must be a finite number");
                return false;
            }
            if (unitInterval && (x < 0f || x > 1f)) {
                reject(where, "value " + x + " in column " + (j + 1) + " lies outside [0, 1], which the Bernoulli "
                        + "likelihood requires (use --likelihood gaussian for other data)");
                return false;
            }
        }
        return true;
    }

    long skippedCount() {
        return skipped.value();
    }

    List<String> examples() {
        List<String> all = examples.value();
        return List.copyOf(all.subList(0, Math.min(EXAMPLES_KEPT, all.size())));
    }
}
