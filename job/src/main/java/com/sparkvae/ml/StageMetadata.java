package com.sparkvae.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A saved stage's {@code metadata/}, in the layout of Spark's {@code DefaultParamsWriter}, so that
 * {@code PipelineModel.load} finds the stage's class (and through its static {@code read()}, its reader): one line
 * of JSON with {@code class}, {@code timestamp}, {@code sparkVersion}, {@code uid}, {@code paramMap} (the Params
 * set) and {@code defaultParamMap}, each value as its Param's {@code jsonEncode} gives it. Written through the
 * session, as a one-row text DataFrame (as Spark writes it since SPARK-48909), not through an RDD.
 */
record StageMetadata(String className, String uid, String sparkVersion, Map<String, String> params,
                     Map<String, String> defaults) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DIRECTORY = "metadata";

    /** Writes {@code stage}'s metadata under {@code path}. */
    static void write(SparkSession spark, String path, Params stage) {
        ObjectNode root = JSON.createObjectNode();
        root.put("class", stage.getClass().getName());
        root.put("timestamp", System.currentTimeMillis());
        root.put("sparkVersion", spark.version());
        root.put("uid", stage.uid());
        ObjectNode set = root.putObject("paramMap");
        ObjectNode defaults = root.putObject("defaultParamMap");
        for (Param<?> p : stage.params()) {
            if (stage.isSet(p)) {
                set.set(p.name(), encoded(p, stage.getOrDefault(p)));
            }
            if (stage.hasDefault(p)) {
                defaults.set(p.name(), encoded(p, stage.getDefault(p).get()));
            }
        }
        StructType schema = new StructType().add("value", DataTypes.StringType, false);
        spark.createDataFrame(List.of(RowFactory.create(root.toString())), schema).write()
                .text(path + "/" + DIRECTORY);
    }

    @SuppressWarnings("unchecked")
    private static JsonNode encoded(Param<?> p, Object value) {
        try {
            return JSON.readTree(((Param<Object>) p).jsonEncode(value));
        } catch (IOException e) {
            throw new UncheckedIOException("Param " + p.name() + " gave JSON Jackson cannot read", e);
        }
    }

    /** The metadata under {@code path}, which must be of a stage of class {@code expected}. */
    static StageMetadata read(SparkSession spark, String path, Class<?> expected) {
        JsonNode root;
        try {
            root = JSON.readTree(spark.read().text(path + "/" + DIRECTORY).first().getString(0));
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": its metadata is not JSON (" + e.getMessage() + ")");
        }
        String className = root.path("class").asText();
        if (!className.equals(expected.getName())) {
            throw new IllegalArgumentException(path + ": holds a " + className + ", not a " + expected.getName());
        }
        return new StageMetadata(className, root.path("uid").asText(), root.path("sparkVersion").asText(),
                texts(root.path("paramMap")), texts(root.path("defaultParamMap")));
    }

    private static Map<String, String> texts(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().toString()));
        return out;
    }
}
