package com.sparkvae.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.SparkSession;

/**
 * Loads a stage that {@link StageWriter} saved: its metadata, the stage made with the saved uid (from its data, for
 * a model), then the Params set and their defaults as saved.
 */
final class StageReader<T extends Params> extends MLReader<T> {
    /** The stage with this uid, from what is saved at {@code path}. */
    interface Factory<T> {
        T create(SparkSession spark, String path, String uid);
    }

    private final Class<T> type;
    private final Factory<T> factory;

    StageReader(Class<T> type, Factory<T> factory) {
        this.type = type;
        this.factory = factory;
    }

    @Override
    public T load(String path) {
        StageMetadata metadata = StageMetadata.read(sparkSession(), path, type);
        T stage = factory.create(sparkSession(), path, metadata.uid());
        metadata.defaults().forEach((name, json) -> restore(stage, name, json, true, path));
        metadata.params().forEach((name, json) -> restore(stage, name, json, false, path));
        return stage;
    }

    private void restore(T stage, String name, String json, boolean asDefault, String path) {
        if (!stage.hasParam(name)) {
            throw new IllegalArgumentException(path + ": saved Param " + name + " is not one of "
                    + type.getSimpleName() + "'s");
        }
        // Params.set and setDefault are protected in Scala, which the JVM sees as public: Spark's own reader
        // (DefaultParamsReader) sets a loaded stage's Params from outside the stage in the same way.
        Param<Object> p = stage.getParam(name);
        if (asDefault) {
            stage.setDefault(p, p.jsonDecode(json));
        } else {
            stage.set(p, p.jsonDecode(json));
        }
    }
}
