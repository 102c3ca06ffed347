package com.sparkvae.ml;

import java.io.Serializable;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;

/** Saves a stage as Spark ML lays stages out: {@code metadata/} ({@link StageMetadata}), then its own data. */
final class StageWriter extends MLWriter {
    /** What a stage saves beside its metadata (a model's {@code data/}); nothing for an estimator. */
    interface Payload extends Serializable {
        void write(SparkSession spark, String path);
    }

    private final Params stage;
    private final Payload payload;

    StageWriter(Params stage, Payload payload) {
        this.stage = stage;
        this.payload = payload;
    }

    @Override
    public void saveImpl(String path) {
        StageMetadata.write(sparkSession(), path, stage);
        payload.write(sparkSession(), path);
    }
}
