package com.sparkvae.job;

import static com.sparkvae.job.TrainSettings.*;

import com.sparkvae.model.Activation;
import com.sparkvae.model.Adam;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.Likelihood;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.Sgd;
import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The validated settings of one training run; see {@link TrainSettings} for what each means. Built from typed
 * values ({@link #from}), or from the text a saved run holds ({@link #fromKeyValues}); {@link #asKeyValues} gives
 * that text back.
 */
public record TrainConfig(String input, Optional<String> test, String output, boolean overwrite, boolean resume,
                          int checkpointEvery, Optional<String> modelRoot, String runId, double promoteMargin,
                          Optional<String> initFrom, InputFormat format, CsvHeader csvHeader, BadRowPolicy badRows,
                          int epochs, int batchSize, Optional<Integer> localSteps, SyncMode sync,
                          Optional<OuterKind> outer, double outerLr, double outerMomentum, int partitions,
                          int aggregationDepth, List<Integer> hidden, int latentDim, Activation activation,
                          LikelihoodKind likelihood, GaussianVariance gaussianVariance, double gaussianLogVariance,
                          int samples, OptimizerKind optimizer, double lr, Optional<Double> peakLr,
                          Optional<Double> warmupEpochs, Optional<Double> decayEpochs, int maxLrHalvings,
                          double adamBeta1, double adamBeta2, double adamEpsilon, long seed) implements Serializable {

    /** What {@code --init-from} names to warm-start from the model root's promoted run. */
    public static final String LATEST = "latest";

    public TrainConfig {
        hidden = List.copyOf(hidden);
    }

    /**
     * The run's configuration from typed values: {@code {timestamp}} filled in, and under a model root the run
     * placed at {@code <root>/runs/<run-id>}. {@code outputGiven}: whether the command line named {@code --output},
     * which a model root replaces. {@code submitted}: when the application was submitted, the {@code {timestamp}};
     * every attempt of one application shares it, so a later attempt finds the earlier one's run directory.
     */
    public static TrainConfig from(SettingValues v, boolean outputGiven, LocalDateTime submitted) {
        String timestamp = submitted.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Optional<String> modelRoot = v.get(MODEL_ROOT).map(r -> r.replaceAll("/+$", ""));
        String runId = v.get(RUN_ID).replace("{timestamp}", timestamp);
        String output = v.get(OUTPUT).replace("{timestamp}", timestamp);
        Optional<String> test = v.get(TEST);
        if (modelRoot.isPresent()) {
            if (outputGiven) {
                throw new ConfigException("output: give either --output or --model-root, not both");
            }
            if (test.isEmpty()) {
                throw new ConfigException("model-root: promotion compares held-out negative ELBOs, so --test is required");
            }
            if (runId.isEmpty() || runId.contains("/")) {
                throw new ConfigException("run-id: must be a non-empty name without '/' (got '" + runId + "')");
            }
            output = modelRoot.get() + "/runs/" + runId;
        }
        if (v.get(SYNC) == SyncMode.GRADIENT && v.get(OUTER).filter(k -> k != OuterKind.AVG).isPresent()) {
            throw new ConfigException("outer: " + v.get(OUTER).get().key() + " steps from the replicas' average, "
                    + "which --sync gradient does not take; use --sync params or --outer avg");
        }
        if (v.get(INIT_FROM).filter(LATEST::equals).isPresent() && modelRoot.isEmpty()) {
            throw new ConfigException("init-from: 'latest' needs --model-root");
        }
        return new TrainConfig(v.get(INPUT), test, output, v.get(OVERWRITE), v.get(RESUME), v.get(CHECKPOINT_EVERY),
                modelRoot, runId, v.get(PROMOTE_MARGIN), v.get(INIT_FROM), v.get(FORMAT), v.get(CSV_HEADER),
                v.get(BAD_ROWS), v.get(EPOCHS), v.get(BATCH_SIZE), v.get(LOCAL_STEPS), v.get(SYNC), v.get(OUTER),
                v.get(OUTER_LR), v.get(OUTER_MOMENTUM), v.get(PARTITIONS),
                v.get(AGGREGATION_DEPTH), v.get(HIDDEN), v.get(LATENT_DIM), v.get(ACTIVATION), v.get(LIKELIHOOD),
                v.get(GAUSSIAN_VARIANCE), v.get(GAUSSIAN_LOG_VARIANCE), v.get(SAMPLES), v.get(OPTIMIZER), v.get(LR),
                v.get(PEAK_LR), v.get(WARMUP_EPOCHS), v.get(DECAY_EPOCHS), v.get(MAX_LR_HALVINGS), v.get(ADAM_BETA1),
                v.get(ADAM_BETA2), v.get(ADAM_EPSILON), v.get(SEED));
    }

    /** A configuration from its text form ({@link #asKeyValues}); keys it lacks take their defaults. */
    public static TrainConfig fromKeyValues(Map<String, String> values, String where) {
        return from(SettingValues.parse(OF_A_RUN, values, where), false, LocalDateTime.now());
    }

    /**
     * Every setting as the text a config file would hold, in declaration order. The record's components are the
     * settings of {@link TrainSettings#OF_A_RUN} in the same order, each named by its key in camel case (checked
     * when the class loads).
     */
    public Map<String, String> asKeyValues() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < COMPONENTS.length; i++) {
            Setting<?> setting = OF_A_RUN.all().get(i);
            try {
                m.put(setting.key(), setting.formatUnchecked(COMPONENTS[i].getAccessor().invoke(this)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("reading " + COMPONENTS[i].getName(), e);
            }
        }
        return m;
    }

    /**
     * This configuration with every URI the user gave ({@code input}, {@code test}, {@code output},
     * {@code model-root}, {@code init-from} unless it is {@code latest}) replaced by {@code qualify}'s result for
     * (its key, its text).
     */
    public TrainConfig withUris(BiFunction<String, String, String> qualify) {
        Object[] values = new Object[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            String key = OF_A_RUN.all().get(i).key();
            try {
                values[i] = COMPONENTS[i].getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("reading " + COMPONENTS[i].getName(), e);
            }
            if (key.equals(INPUT.key()) || key.equals(OUTPUT.key())) {
                values[i] = qualify.apply(key, (String) values[i]);
            } else if (key.equals(TEST.key()) || key.equals(MODEL_ROOT.key()) || key.equals(INIT_FROM.key())) {
                values[i] = ((Optional<?>) values[i]).map(v -> v.equals(LATEST) && key.equals(INIT_FROM.key())
                        ? v : qualify.apply(key, (String) v));
            }
        }
        try {
            return (TrainConfig) TrainConfig.class.getDeclaredConstructor(java.util.Arrays.stream(COMPONENTS)
                    .map(RecordComponent::getType).toArray(Class<?>[]::new)).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("copying a TrainConfig", e);
        }
    }

    private static final RecordComponent[] COMPONENTS = TrainConfig.class.getRecordComponents();

    static {
        List<String> keys = OF_A_RUN.all().stream().map(Setting::key).toList();
        List<String> names = java.util.Arrays.stream(COMPONENTS)
                .map(c -> c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT)).toList();
        if (!keys.equals(names)) {
            throw new IllegalStateException("TrainConfig's components " + names + " are not the settings " + keys);
        }
    }

    public boolean hasModelRoot() {
        return modelRoot.isPresent();
    }

    public boolean gradientSync() {
        return sync == SyncMode.GRADIENT;
    }

    /** The model for data of {@code inputDim} features. */
    public Architecture architecture(int inputDim) {
        Likelihood lik = likelihood == LikelihoodKind.BERNOULLI ? new Likelihood.Bernoulli()
                : new Likelihood.Gaussian(gaussianVariance == GaussianVariance.LEARNED, gaussianLogVariance);
        return new Architecture(inputDim, hidden, latentDim, activation, lik, samples);
    }

    public Optimizer optimizerWithRate(double rate) {
        return optimizer == OptimizerKind.ADAM ? new Adam(rate, adamBeta1, adamBeta2, adamEpsilon) : new Sgd(rate);
    }
}
