package com.sparkvae.ml;

import com.sparkvae.job.ScoreSettings;
import com.sparkvae.job.Setting;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.ml.OptionParams.Command;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The Params of one stage by name, each with its default, and for those declared from an option, the option that
 * checks their values. {@link VaeEstimator} and {@link VaeModel} share the column Params (so a fitted model reads
 * and writes the columns its estimator named) and the scoring ones.
 */
final class StageParams implements Serializable {
    static final String FEATURES_COL = "featuresCol";
    static final String FEATURES_COLS = "featuresCols";
    static final String NEG_ELBO_COL = "negElboCol";
    static final String NEG_LOG_LIKELIHOOD_COL = "negLogLikelihoodCol";
    static final String LATENT_MEAN_COL = "latentMeanCol";
    static final String IMPORTANCE_SAMPLES = "importanceSamples";
    static final String SCORE_COL = "scoreCol";
    static final String PREDICTION_COL = "predictionCol";
    static final String SCORE_TYPE = OptionParams.name(TrainSettings.SCORE_TYPE.key());

    private record Option(Command command, String key) implements Serializable {
    }

    private final Map<String, Param<?>> byName = new TreeMap<>();
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private final Map<String, Option> options = new HashMap<>();
    private final Params parent;

    private StageParams(Params parent) {
        this.parent = parent;
    }

    /** Every {@code train} option that is a Param, the columns, and the model's scoring Params. */
    static StageParams forEstimator(Params parent) {
        StageParams p = new StageParams(parent);
        for (Setting<?> s : OptionParams.trainParams()) {
            p.option(Command.TRAIN, s.key(), OptionParams.name(s.key()));
        }
        p.columnsAndScoring();
        return p;
    }

    /**
     * The columns, and what scoring takes: importance samples, the score type, the seed of the draws, the treatment
     * of bad rows.
     */
    static StageParams forModel(Params parent) {
        StageParams p = new StageParams(parent);
        p.columnsAndScoring();
        p.option(Command.TRAIN, TrainSettings.SCORE_TYPE.key(), SCORE_TYPE);
        p.option(Command.SCORE, ScoreSettings.SEED.key(), "seed");
        p.option(Command.SCORE, TrainSettings.BAD_ROWS.key(), OptionParams.name(TrainSettings.BAD_ROWS.key()));
        return p;
    }

    private void columnsAndScoring() {
        text(FEATURES_COL, "The features: one vector or numeric-array column, read unless featuresCols is set.",
                "features");
        byName.put(FEATURES_COLS, new StringArrayParam(parent, FEATURES_COLS, "The features as numeric columns "
                + "(names or globs such as m_*, in order); when set, featuresCol is not read."));
        defaults.put(FEATURES_COLS, new String[0]);
        text(NEG_ELBO_COL, "Output column of each row's negative ELBO; empty for none.", "neg_elbo");
        text(NEG_LOG_LIKELIHOOD_COL, "Output column of each row's importance-sampled -log p(x); empty for none.",
                "neg_log_likelihood");
        text(LATENT_MEAN_COL, "Output column of each row's latent mean m(x), an array of floats; empty for none.",
                "latent_mean");
        text(SCORE_COL, "Output column of each row's anomaly score, of scoreType (higher: more anomalous); empty "
                + "for none.", "anomaly_score");
        text(PREDICTION_COL, "Output column of the outlier flag, 1.0 for a row whose anomaly score exceeds the "
                + "model's threshold (set by contamination), else 0.0; only for a model with a threshold; empty for "
                + "none.", "outlier");
        option(Command.SCORE, ScoreSettings.SAMPLES.key(), IMPORTANCE_SAMPLES);
    }

    private void option(Command command, String key, String name) {
        byName.put(name, OptionParams.create(parent, command, key, name));
        defaults.put(name, OptionParams.defaultValue(command.setting(key)));
        options.put(name, new Option(command, key));
    }

    private void text(String name, String doc, String defaultValue) {
        byName.put(name, TextParams.create(parent, name, doc, TextParams.anyText()));
        defaults.put(name, defaultValue);
    }

    /** Every Param, sorted by name as Spark lists them. */
    Param<?>[] all() {
        return byName.values().toArray(Param<?>[]::new);
    }

    Map<String, Object> defaults() {
        return defaults;
    }

    /**
     * Sets the stage's Param {@code name}, refusing in one line a value its option refuses. (Params.set is protected
     * in Scala, which the JVM sees as public; the stage's typed setters come here.)
     */
    void put(String name, Object value) {
        check(name, value);
        parent.set(parent.getParam(name), value);
    }

    /** Refuses, in one line, a value that the option behind Param {@code name} (if any) refuses. */
    void check(String name, Object value) {
        Option o = options.get(name);
        if (o != null) {
            OptionParams.check(o.command(), o.key(), name, value);
        }
    }
}
