package com.sparkvae.job.data;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the feature values of a table's rows into floats, inside a task: numeric columns by position in the row's
 * schema, or the elements of one vector or array column. A null feature goes to {@link BadRows#missing} (NaN when
 * imputed); the row is named in messages by its identity columns' values.
 */
public final class RowReader implements Serializable {
    private final int[] features;
    private final List<String> names;
    private final boolean vector;
    private final boolean array;
    private final int[] identity;
    private final List<String> identityNames;
    private final String source;

    RowReader(FeatureColumns columns, StructType schema, String source) {
        this.names = columns.names();
        this.features = columns.names().stream().mapToInt(schema::fieldIndex).toArray();
        this.vector = columns.vector();
        this.array = vector && schema.apply(names.get(0)).dataType() instanceof ArrayType;
        this.identityNames = columns.identity();
        this.identity = identityNames.stream().mapToInt(schema::fieldIndex).toArray();
        this.source = source;
    }

    /** The row's features, checked by {@code bad}; null when the row is left out. */
    public float[] read(Row row, BadRows bad) {
        if (vector) {
            return readVector(row, bad);
        }
        float[] v = new float[features.length];
        for (int j = 0; j < features.length; j++) {
            if (row.isNullAt(features[j])) {
                if (!bad.missing(where(row), "column '" + names.get(j) + "'")) {
                    return null;
                }
                v[j] = Float.NaN;
            } else {
                v[j] = ((Number) row.get(features[j])).floatValue();
            }
        }
        return bad.accept(v, where(row), names) ? v : null;
    }

    private float[] readVector(Row row, BadRows bad) {
        String column = "column '" + names.get(0) + "'";
        if (row.isNullAt(features[0])) {
            bad.reject(where(row), column + " is null");
            return null;
        }
        float[] v;
        if (array) {
            List<Object> list = row.getList(features[0]);
            v = new float[list.size()];
            for (int j = 0; j < v.length; j++) {
                Object x = list.get(j);
                if (x == null) {
                    if (!bad.missing(where(row), "element " + (j + 1) + " of " + column)) {
                        return null;
                    }
                    v[j] = Float.NaN;
                } else {
                    v[j] = ((Number) x).floatValue();
                }
            }
        } else {
            double[] d = vectorValues(row.get(features[0]));
            v = new float[d.length];
            for (int j = 0; j < d.length; j++) {
                v[j] = (float) d[j];
            }
        }
        return bad.accept(v, where(row) + ", " + column) ? v : null;
    }

    /** The source and the row's identifying values: {@code table t: row id=7, day=2026-11-30}. */
    private String where(Row row) {
        if (identity.length == 0) {
            return source + ": a row";
        }
        StringBuilder out = new StringBuilder(source).append(": row ");
        for (int i = 0; i < identity.length; i++) {
            out.append(i == 0 ? "" : ", ").append(identityNames.get(i)).append('=').append(row.get(identity[i]));
        }
        return out.toString();
    }

    /**
     * The values of a Spark ML vector (dense or sparse), read through its public {@code toArray()} so that the job
     * does not depend on spark-mllib.
     */
    private static double[] vectorValues(Object vector) {
        try {
            return (double[]) vector.getClass().getMethod("toArray").invoke(vector);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a " + vector.getClass().getName() + " as a vector", e);
        }
    }
}
