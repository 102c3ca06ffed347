package com.sparkvae.ml;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.data.FeatureColumns;
import com.sparkvae.job.score.FrameScores;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What the stages check of a DataFrame's schema before any row is read, each mistake refused in one line: the
 * feature columns (as {@code train} resolves {@code --features}, named after the Param that gave them), and the
 * output columns, which must be new (as Spark's {@code SchemaUtils.appendColumn} says, "Column X already exists").
 */
final class FrameSchema {
    /** How the rows are named in messages. */
    static final String SOURCE = "the DataFrame";

    private FrameSchema() {
    }

    /** The patterns that name the features: {@code featuresCols} when set, else the one {@code featuresCol}. */
    static Optional<List<String>> patterns(String featuresCol, String[] featuresCols) {
        return Optional.of(featuresCols.length > 0 ? List.of(featuresCols) : List.of(featuresCol));
    }

    /** The feature columns of {@code schema}, or an {@link IllegalArgumentException} naming the Param. */
    static FeatureColumns features(StructType schema, String featuresCol, String[] featuresCols) {
        String param = featuresCols.length > 0 ? StageParams.FEATURES_COLS : StageParams.FEATURES_COL;
        try {
            return FeatureColumns.resolve(schema, patterns(featuresCol, featuresCols), SOURCE);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^features: ", param + ": "));
        }
    }

    /** {@code schema} with the score columns appended; a name already taken (in any case) is refused. */
    static StructType withScores(StructType schema, FrameScores.Columns columns) {
        Set<String> taken = new HashSet<>();
        for (String name : schema.fieldNames()) {
            taken.add(name.toLowerCase(Locale.ROOT));
        }
        StructType out = schema;
        for (StructField f : columns.fields()) {
            if (!taken.add(f.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Column " + f.name() + " already exists");
            }
            out = out.add(f);
        }
        return out;
    }
}
