package com.sparkvae.job.data;

import com.sparkvae.job.DataException;
import com.sparkvae.job.ScaleKind;
import com.sparkvae.model.FeatureTransform;
import java.util.List;

/**
 * Fits a model's {@link FeatureTransform} to the training rows' {@link ColumnStats}: the means that fill missing
 * values (under {@code --bad-rows impute}), and the shift and scale of {@code --scale}. A feature that does not vary
 * keeps a scale of 1, as Spark ML's scalers leave it unscaled.
 */
public final class FeatureScaling {
    private FeatureScaling() {
    }

    /**
     * The transform of {@code kind} for these statistics; {@code impute}: fill missing values with the means;
     * {@code unitInterval}: the model needs values in [0, 1] (Bernoulli), so min-max scaled values outside the
     * training range are clipped into it. {@code names} name the columns in messages (empty: by number).
     */
    public static FeatureTransform fit(ScaleKind kind, ColumnStats stats, boolean impute, boolean unitInterval,
                                       List<String> names, String source) {
        int d = stats.dim();
        for (int j = 0; j < d; j++) {
            if (stats.count(j) == 0 && (impute || kind != ScaleKind.NONE)) {
                throw new DataException(source + ": " + column(names, j) + " has no values in the training rows");
            }
        }
        float[] fill = null;
        if (impute) {
            fill = new float[d];
            for (int j = 0; j < d; j++) {
                fill[j] = (float) stats.mean(j);
            }
        }
        if (kind == ScaleKind.NONE) {
            return new FeatureTransform(fill, null, null, false);
        }
        float[] shift = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            double spread = kind == ScaleKind.STANDARD ? stats.sd(j) : stats.max(j) - stats.min(j);
            shift[j] = (float) (kind == ScaleKind.STANDARD ? stats.mean(j) : stats.min(j));
            scale[j] = spread > 0 && Float.isFinite((float) spread) && (float) spread > 0 ? (float) spread : 1f;
        }
        return new FeatureTransform(fill, shift, scale, kind == ScaleKind.MINMAX && unitInterval);
    }

    static String column(List<String> names, int j) {
        return names.isEmpty() ? "column " + (j + 1) : "column '" + names.get(j) + "'";
    }
}
