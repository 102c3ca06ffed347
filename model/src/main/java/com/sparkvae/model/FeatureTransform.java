package com.sparkvae.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a model does to a row of data before its encoder sees it, per feature j: a missing value (NaN) is replaced
 * by {@code fill[j]}, then x'_j = (x_j − shift[j]) / scale[j], clipped into [0, 1] when {@code clipToUnit}.
 *
 * <p>The model's density is over x'; over the data as given it is p(x) = p(x') · Π_j 1 / scale[j], so a negative
 * log-likelihood or ELBO in the data's own units adds {@link #logJacobian()} = Σ_j log scale[j] to the one computed
 * on x'. {@link #identity} changes nothing and costs nothing.
 */
public final class FeatureTransform implements Serializable {
    private static final long serialVersionUID = 1L;
    private final float[] fill;
    private final float[] shift;
    private final float[] scale;
    private final boolean clipToUnit;
    private final float[] inverseScale;
    private final boolean identity;

    /**
     * {@code fill}: per-feature values for missing ones, or null when rows may have none; {@code shift} and
     * {@code scale}: null for none, else one per feature, every scale finite and positive.
     */
    public FeatureTransform(float[] fill, float[] shift, float[] scale, boolean clipToUnit) {
        if ((shift == null) != (scale == null)) {
            throw new IllegalArgumentException("shift and scale go together");
        }
        if (scale != null) {
            if (shift.length != scale.length || (fill != null && fill.length != scale.length)) {
                throw new IllegalArgumentException("fill, shift and scale must have one value per feature");
            }
            for (float s : scale) {
                if (!(s > 0) || !Float.isFinite(s)) {
                    throw new IllegalArgumentException("every scale must be finite and positive, got " + s);
                }
            }
        }
        this.fill = fill == null ? null : fill.clone();
        this.shift = shift == null ? null : shift.clone();
        this.scale = scale == null ? null : scale.clone();
        this.clipToUnit = clipToUnit;
        this.inverseScale = scale == null ? null : new float[scale.length];
        for (int j = 0; scale != null && j < scale.length; j++) {
            inverseScale[j] = 1f / scale[j];
        }
        this.identity = fill == null && scale == null && !clipToUnit;
    }

    /** The transform that leaves rows as they are. */
    public static FeatureTransform identity() {
        return new FeatureTransform(null, null, null, false);
    }

    public boolean isIdentity() {
        return identity;
    }

    /** Whether missing values (NaN) can be filled in. */
    public boolean fillsMissing() {
        return fill != null;
    }

    /** Applies the transform to {@code count} rows of {@code dim} values at {@code offset} of {@code rows}. */
    public void applyInPlace(float[] rows, int offset, int count, int dim) {
        if (identity) {
            return;
        }
        for (int r = 0; r < count; r++) {
            int at = offset + r * dim;
            for (int j = 0; j < dim; j++) {
                float x = rows[at + j];
                if (x != x) {   // NaN: a missing value
                    if (fill == null) {
                        throw new IllegalStateException("a missing value in feature " + j + " and no value to fill");
                    }
                    x = fill[j];
                }
                if (scale != null) {
                    x = (x - shift[j]) * inverseScale[j];
                }
                if (clipToUnit) {
                    x = Math.min(1f, Math.max(0f, x));
                }
                rows[at + j] = x;
            }
        }
    }

    /** Maps {@code count} transformed rows back to the data's units (clipping cannot be undone, nor filling). */
    public void invertInPlace(float[] rows, int offset, int count, int dim) {
        if (scale == null) {
            return;
        }
        for (int r = 0; r < count; r++) {
            int at = offset + r * dim;
            for (int j = 0; j < dim; j++) {
                rows[at + j] = rows[at + j] * scale[j] + shift[j];
            }
        }
    }

    /** Σ_j log scale[j]: what a negative log-density over x' gains when stated over x. */
    public double logJacobian() {
        double sum = 0;
        for (int j = 0; scale != null && j < scale.length; j++) {
            sum += Math.log(scale[j]);
        }
        return sum;
    }

    public float[] fill() {
        return fill == null ? null : fill.clone();
    }

    public float[] shift() {
        return shift == null ? null : shift.clone();
    }

    public float[] scale() {
        return scale == null ? null : scale.clone();
    }

    public boolean clipToUnit() {
        return clipToUnit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureTransform t && Arrays.equals(fill, t.fill) && Arrays.equals(shift, t.shift)
                && Arrays.equals(scale, t.scale) && clipToUnit == t.clipToUnit;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scale) * 31 + Arrays.hashCode(shift) + Arrays.hashCode(fill) + (clipToUnit ? 1 : 0);
    }
}
