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
 * under the Bernoulli likelihood, a null feature): fail the job naming the file and the row's position (or, in a
 * table, the column and the row's identifying values), or skip it, counting the skipped rows and keeping the first
 * few for the log and the manifest. Under {@code impute}, a missing value (null, or NaN) is kept as NaN for the
 * model's transform to fill, and counted; anything else malformed fails.
 */
public final class BadRows implements Serializable {
    static final int EXAMPLES_KEPT = 5;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BadRows.class);
    private final String name;
    private final boolean skip;
    private final boolean impute;
    private final boolean unitInterval;
    private final LongAccumulator skipped;
    private final CollectionAccumulator<String> examples;
    private final LongAccumulator imputed;

    public BadRows(SparkContext sc, BadRowPolicy policy, boolean unitInterval, String name) {
        this.name = name;
        this.skip = policy == BadRowPolicy.SKIP;
        this.impute = policy == BadRowPolicy.IMPUTE;
        this.unitInterval = unitInterval;
        this.skipped = sc.longAccumulator("bad rows skipped in " + name);
        this.examples = sc.collectionAccumulator("bad rows of " + name);
        this.imputed = sc.longAccumulator("missing values imputed in " + name);
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

    /**
     * A missing (null) value of {@code column} in the row at {@code where}: under impute, whether the row stays with
     * NaN in its place; otherwise rejected (thrown, or counted).
     */
    boolean missing(String where, String column) {
        if (impute) {
            return true;
        }
        reject(where, column + " is null" + (skip ? "" : " (--bad-rows skip leaves such rows out, --bad-rows impute "
                + "fills in the training mean)"));
        return false;
    }

    /** {@link #accept(float[], String, List)} with columns named by number. */
    boolean accept(float[] row, String where) {
        return accept(row, where, List.of());
    }

    /**
     * Whether a parsed row is usable; a bad value is rejected (thrown, or counted) with its column, named from
     * {@code names} (by number when empty). Under impute, NaN counts as missing.
     */
    boolean accept(float[] row, String where, List<String> names) {
        int missing = 0;
        for (int j = 0; j < row.length; j++) {
            float x = row[j];
            if (impute && x != x) {
                missing++;
                continue;
            }
            if (!Float.isFinite(x)) {
                reject(where, "value " + x + " in " + FeatureScaling.column(names, j)
                        + "; every value must be a finite number");
                return false;
            }
            if (unitInterval && (x < 0f || x > 1f)) {
                reject(where, "value " + x + " in " + FeatureScaling.column(names, j) + " lies outside [0, 1], which "
                        + "the Bernoulli likelihood requires (use --scale minmax, or --likelihood gaussian)");
                return false;
            }
        }
        if (missing > 0) {
            imputed.add(missing);
        }
        return true;
    }

    /** Logs what was skipped and imputed, once the rows have been read (the counts are the driver's then). */
    public void logSummary() {
        if (skippedCount() > 0) {
            LOG.warn("{}: skipped {} malformed rows (--bad-rows skip); first ones: {}", name, skippedCount(),
                    examples());
        }
        if (imputedCount() > 0) {
            LOG.info("{}: {} missing values to fill with the training means (--bad-rows impute)", name,
                    imputedCount());
        }
    }

    public long skippedCount() {
        return skipped.value();
    }

    public long imputedCount() {
        return imputed.value();
    }

    public List<String> examples() {
        List<String> all = examples.value();
        return List.copyOf(all.subList(0, Math.min(EXAMPLES_KEPT, all.size())));
    }
}
