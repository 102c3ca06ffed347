package com.sparkvae.ml;

import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.ModelStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A {@link VaeModel}'s {@code data/}: one Parquet row, written and read through the session, holding what
 * {@code model.zip} holds for the job: the training options (as {@code config.properties} has them), the data's
 * dimension, the parameter vector, the features (their columns, scaling, imputation means, shift and scale), and
 * the outlier threshold (null without one; absent from data written before it existed).
 */
final class ModelData {
    static final String DIRECTORY = "data";
    private static final StructType SCHEMA = new StructType()
            .add("options", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false)
            .add("inputDim", DataTypes.IntegerType, false)
            .add("parameters", floats(), false)
            .add("columns", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("scaling", DataTypes.StringType, false)
            .add("fill", floats(), true)
            .add("shift", floats(), true)
            .add("scale", floats(), true)
            .add("clipToUnit", DataTypes.BooleanType, false)
            .add("threshold", DataTypes.DoubleType, true);

    private ModelData() {
    }

    private static org.apache.spark.sql.types.DataType floats() {
        return DataTypes.createArrayType(DataTypes.FloatType, false);
    }

    static void write(SparkSession spark, String path, ModelStore.SavedModel model) {
        ModelFeatures f = model.features();
        Row row = RowFactory.create(model.config().asKeyValues(), model.inputDim(), boxed(model.parameters()),
                f.columns(), f.scaling(), boxed(f.fill()), boxed(f.shift()), boxed(f.scale()), f.clipToUnit(),
                model.threshold().isPresent() ? model.threshold().getAsDouble() : null);
        spark.createDataFrame(List.of(row), SCHEMA).write().parquet(path + "/" + DIRECTORY);
    }

    static ModelStore.SavedModel read(SparkSession spark, String path) {
        String where = path + "/" + DIRECTORY;
        Row r = spark.read().parquet(where).first();
        Map<String, String> options = r.getJavaMap(r.fieldIndex("options"));
        ModelFeatures features = new ModelFeatures(r.getList(r.fieldIndex("columns")),
                r.getString(r.fieldIndex("scaling")), floats(r, "fill"), floats(r, "shift"), floats(r, "scale"),
                r.getBoolean(r.fieldIndex("clipToUnit")));
        boolean hasThreshold = java.util.Arrays.asList(r.schema().fieldNames()).contains("threshold")
                && !r.isNullAt(r.fieldIndex("threshold"));
        OptionalDouble threshold = hasThreshold ? OptionalDouble.of(r.getDouble(r.fieldIndex("threshold")))
                : OptionalDouble.empty();
        return ModelStore.fromParts(options, r.getInt(r.fieldIndex("inputDim")), floats(r, "parameters"), features,
                threshold, where);
    }

    private static List<Float> boxed(float[] v) {
        if (v == null) {
            return null;
        }
        List<Float> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add(x);
        }
        return out;
    }

    private static float[] floats(Row r, String column) {
        int i = r.fieldIndex(column);
        if (r.isNullAt(i)) {
            return null;
        }
        List<Float> list = r.getList(i);
        float[] out = new float[list.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = list.get(j);
        }
        return out;
    }
}
