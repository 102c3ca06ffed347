package com.sparkvae.job.store;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.Setting;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.model.Architecture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Saves and loads a trained model as {@code model.zip}, one file readable two ways:
 * <ul>
 *   <li>by DL4J: {@code configuration.json} and {@code coefficients.bin}, a {@code MultiLayerNetwork} with one
 *       {@code VariationalAutoencoder} layer (see {@link Dl4jExport});</li>
 *   <li>by this job: {@code config.properties} (every training option, the data dimension and the format version),
 *       {@code parameters.bin} (a magic number, the count, then big-endian floats in
 *       {@link com.sparkvae.model.ParameterLayout} order) and, for named or scaled features,
 *       {@code features.json} ({@link ModelFeatures}: the columns, and the transform the encoder's inputs go
 *       through, which DL4J's network does not apply).</li>
 * </ul>
 * Written through Hadoop's FileSystem, so any URI works.
 */
public final class ModelStore {
    public static final String FILE_NAME = "model.zip";
    private static final int MAGIC = 0x56414531; // "VAE1"
    private static final String FORMAT_VERSION = "1";
    /** Keys of config.properties beside the options: the data's dimension and this file's format version. */
    private static final String INPUT_DIM = "input-dim";
    private static final String FORMAT_VERSION_KEY = "format-version";
    /** The outlier threshold of a model trained with {@code --contamination}, beside the options. */
    private static final String THRESHOLD = "outlier-threshold";

    private ModelStore() {
    }

    /**
     * A loaded model: its configuration, input dimension and parameter vector, its features, and the outlier
     * threshold on its score type ({@link TrainConfig#scoreType}) when it was trained with a contamination.
     */
    public record SavedModel(TrainConfig config, int inputDim, float[] parameters, ModelFeatures features,
                             OptionalDouble threshold) {
        public SavedModel(TrainConfig config, int inputDim, float[] parameters, ModelFeatures features) {
            this(config, inputDim, parameters, features, OptionalDouble.empty());
        }

        public Architecture architecture() {
            return config.architecture(inputDim);
        }

        public SavedModel withThreshold(OptionalDouble value) {
            return new SavedModel(config, inputDim, parameters, features, value);
        }
    }

    /** A model without an outlier threshold. */
    public static void save(Path file, Configuration conf, TrainConfig config, int inputDim, float[] params,
                            ModelFeatures features) throws IOException {
        save(file, conf, config, inputDim, params, features, OptionalDouble.empty());
    }

    public static void save(Path file, Configuration conf, SavedModel model) throws IOException {
        save(file, conf, model.config(), model.inputDim(), model.parameters(), model.features(), model.threshold());
    }

    public static void save(Path file, Configuration conf, TrainConfig config, int inputDim, float[] params,
                            ModelFeatures features, OptionalDouble threshold) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        byte[] dl4j = Dl4jExport.modelFile(config.architecture(inputDim), params);
        try (OutputStream raw = fs.create(file, true); ZipOutputStream zip = new ZipOutputStream(raw)) {
            try (ZipInputStream entries = new ZipInputStream(new java.io.ByteArrayInputStream(dl4j))) {
                for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    entries.transferTo(zip);
                    zip.closeEntry();
                }
            }
            Properties props = new Properties();
            config.asKeyValues().forEach(props::setProperty);
            props.setProperty(INPUT_DIM, Integer.toString(inputDim));
            props.setProperty(FORMAT_VERSION_KEY, FORMAT_VERSION);
            threshold.ifPresent(t -> props.setProperty(THRESHOLD, Double.toString(t)));
            zip.putNextEntry(new ZipEntry("config.properties"));
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            props.store(new java.io.OutputStreamWriter(text, StandardCharsets.UTF_8), "spark-vae model");
            zip.write(text.toByteArray());
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("parameters.bin"));
            zip.write(VectorBytes.encode(MAGIC, params));
            zip.closeEntry();
            if (!features.isUnnamedIdentity()) {
                zip.putNextEntry(new ZipEntry(ModelFeatures.FILE_NAME));
                zip.write(features.toJson());
                zip.closeEntry();
            }
        }
    }

    public static SavedModel load(Path file, Configuration conf) throws IOException {
        try {
            return read(file, conf);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DataException(file + ": not a readable spark-vae model (" + e.getMessage() + ")", e);
        } catch (ConfigException e) {
            throw new DataException(file + ": its configuration is not one this job accepts (" + e.getMessage() + ")", e);
        } catch (NumberFormatException | NullPointerException e) {
            throw new DataException(file + ": not a spark-vae model (config.properties lacks input-dim)", e);
        }
    }

    private static SavedModel read(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        Properties props = null;
        float[] params = null;
        ModelFeatures features = ModelFeatures.UNNAMED;
        try (InputStream raw = fs.open(file); ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("config.properties")) {
                    props = new Properties();
                    props.load(new java.io.InputStreamReader(zip, StandardCharsets.UTF_8));
                } else if (e.getName().equals("parameters.bin")) {
                    params = VectorBytes.decode(zip.readAllBytes(), MAGIC, file + ": parameters.bin",
                            "a spark-vae parameter file");
                } else if (e.getName().equals(ModelFeatures.FILE_NAME)) {
                    features = ModelFeatures.fromJson(zip.readAllBytes());
                }
            }
        }
        if (props == null || params == null) {
            throw new DataException(file + ": not a spark-vae model (config.properties or parameters.bin missing)");
        }
        int inputDim = Integer.parseInt(props.getProperty(INPUT_DIM));
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (!key.equals(INPUT_DIM) && !key.equals(FORMAT_VERSION_KEY) && !key.equals(THRESHOLD)) {
                values.put(key, props.getProperty(key));
            }
        }
        String threshold = props.getProperty(THRESHOLD);
        return fromParts(values, inputDim, params, features, threshold == null ? OptionalDouble.empty()
                : OptionalDouble.of(Double.parseDouble(threshold)), file.toString());
    }

    /**
     * A model from its parts as saved: the training options ({@link TrainConfig#asKeyValues}), the data's
     * dimension, the parameters, the features and the outlier threshold; {@code where} names where they were read,
     * for messages. A
     * parameter count that does not fit the architecture is a {@link DataException}.
     */
    public static SavedModel fromParts(Map<String, String> options, int inputDim, float[] params,
                                       ModelFeatures features, OptionalDouble threshold, String where) {
        Map<String, String> values = new LinkedHashMap<>();
        // The saved options were resolved when the run started; those that place a run (model root, run id,
        // warm start) would be validated again against each other here, and say nothing about the model itself.
        options.forEach((key, value) -> {
            boolean placesRun = TrainSettings.OF_A_RUN.byKey(key).map(s -> s.has(Setting.Trait.PLACES_RUN))
                    .orElse(false);
            if (!placesRun) {
                values.put(key, value);
            }
        });
        TrainConfig config = TrainConfig.fromKeyValues(values, "in the options saved with " + where);
        long expected = new com.sparkvae.model.ParameterLayout(config.architecture(inputDim)).size();
        if (expected != params.length) {
            throw new DataException(where + ": holds " + params.length + " parameters, its architecture needs "
                    + expected);
        }
        return new SavedModel(config, inputDim, params, features, threshold);
    }
}
