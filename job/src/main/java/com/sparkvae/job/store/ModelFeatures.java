package com.sparkvae.job.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.sparkvae.job.ScaleKind;
import com.sparkvae.model.FeatureTransform;
import java.io.IOException;
import java.util.List;

/**
 * What a model knows of its features, saved with it ({@code features.json} in {@code model.zip} and in checkpoints,
 * and in {@code manifest.json}): the columns they were read from, in order (one vector or array column, or numeric
 * ones; empty for IDX and CSV, whose columns are unnamed), the scaling chosen ({@code none}, {@code standard}, {@code minmax}), and its {@link FeatureTransform}:
 * the training means that fill missing values (under {@code --bad-rows impute}), the shift and scale, and whether
 * scaled values are clipped into [0, 1]. A model of an earlier version has none of it: {@link #UNNAMED}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelFeatures(List<String> columns, String scaling, float[] fill, float[] shift, float[] scale,
                            boolean clipToUnit) {
    static final String FILE_NAME = "features.json";

    /** Unnamed columns taken as they are. */
    public static final ModelFeatures UNNAMED = new ModelFeatures(List.of(), ScaleKind.NONE.key(), null, null, null, false);

    public ModelFeatures {
        columns = columns == null ? List.of() : List.copyOf(columns);
        scaling = scaling == null ? ScaleKind.NONE.key() : scaling;
    }

    public static ModelFeatures of(List<String> columns, ScaleKind scaling, FeatureTransform t) {
        return new ModelFeatures(columns, scaling.key(), t.fill(), t.shift(), t.scale(), t.clipToUnit());
    }

    public FeatureTransform transform() {
        return new FeatureTransform(fill, shift, scale, clipToUnit);
    }

    /** Whether there is nothing to save: unnamed columns, taken as they are. */
    @JsonIgnore
    public boolean isUnnamedIdentity() {
        return columns.isEmpty() && transform().isIdentity();
    }

    /** The columns as messages name them. */
    public String describe() {
        return columns.isEmpty() ? "unnamed columns" : columns.size() == 1 ? "column " + columns.get(0)
                : "columns " + columns;
    }

    byte[] toJson() {
        return (Json.pretty(this) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static ModelFeatures fromJson(byte[] json) throws IOException {
        return Json.read(json, ModelFeatures.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelFeatures m && columns.equals(m.columns) && scaling.equals(m.scaling)
                && transform().equals(m.transform());
    }

    @Override
    public int hashCode() {
        return columns.hashCode() * 31 + transform().hashCode();
    }
}
