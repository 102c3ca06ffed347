package com.sparkvae.job;

import static com.sparkvae.job.TrainSettings.*;

import com.sparkvae.model.Activation;
import com.sparkvae.model.Adam;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.Likelihood;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.Sgd;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The validated settings of one training run, a typed view over their parsed values; see {@link TrainSettings} for
 * what each means. Built from typed values ({@link #from}), or from the text a saved run holds
 * ({@link #fromKeyValues}); {@link #asKeyValues} gives that text back.
 */
public final class TrainConfig extends CommandConfig {
    /** What {@code --init-from} names to warm-start from the model root's promoted run. */
    public static final String LATEST = Setting.LATEST;

    private TrainConfig(SettingValues values) {
        super(values);
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
        Optional<String> test = heldOut(v);
        if (modelRoot.isPresent()) {
            if (outputGiven) {
                throw new ConfigException("output: give either --output or --model-root, not both");
            }
            if (test.isEmpty() && v.get(TEST_TABLE).isEmpty()) {
                throw new ConfigException("model-root: promotion compares held-out negative ELBOs, so --test or "
                        + "--test-table is required");
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
        if (v.get(SYNC) == SyncMode.GRADIENT && v.get(ROUNDS) == RoundsMode.STAGE) {
            throw new ConfigException("rounds: stage averages the replicas' parameters (--sync params); --sync "
                    + "gradient runs with --rounds jobs");
        }
        if (v.get(SCALE).filter(k -> k == ScaleKind.STANDARD).isPresent()
                && v.get(LIKELIHOOD) == LikelihoodKind.BERNOULLI) {
            throw new ConfigException("scale: standard gives values outside [0, 1], which --likelihood bernoulli "
                    + "cannot model; use --scale minmax or none, or --likelihood gaussian");
        }
        if (v.get(INIT_FROM).filter(LATEST::equals).isPresent() && modelRoot.isEmpty()) {
            throw new ConfigException("init-from: 'latest' needs --model-root");
        }
        Optional<String> input = v.get(INPUT_TABLE).isPresent() ? Optional.empty() : v.get(INPUT);
        return new TrainConfig(v.with(MODEL_ROOT, modelRoot).with(RUN_ID, runId).with(OUTPUT, output)
                .with(INPUT, input).with(TEST, test));
    }

    /**
     * The held-out URI: the one given, none beside a test table (and two sources refused), and the default only
     * beside the default (bundled) training data, whose held-out half it is.
     */
    private static Optional<String> heldOut(SettingValues v) {
        if (v.get(INPUT_TABLE).isPresent() && v.isGiven(INPUT) && v.get(INPUT).isPresent()) {
            throw new ConfigException("input: give either --input or --input-table, not both");
        }
        if (v.get(INPUT_TABLE).isEmpty() && v.get(INPUT).isEmpty()) {
            throw new ConfigException("input: required (--input URI or --input-table NAME)");
        }
        if (v.get(TEST_TABLE).isPresent()) {
            if (v.isGiven(TEST) && v.get(TEST).isPresent()) {
                throw new ConfigException("test: give either --test or --test-table, not both");
            }
            return Optional.empty();
        }
        boolean defaultInput = !v.isGiven(INPUT) && v.get(INPUT_TABLE).isEmpty();
        return v.isGiven(TEST) || defaultInput ? v.get(TEST) : Optional.empty();
    }

    /** The training rows: {@code --input} or {@code --input-table}, with the reading options. */
    public InputSpec trainSource() {
        return source("input", get(INPUT), get(INPUT_TABLE), get(WHERE));
    }

    /** The held-out rows, if any: {@code --test} or {@code --test-table}, read like the training rows. */
    public Optional<InputSpec> testSource() {
        if (test().isEmpty() && get(TEST_TABLE).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(source("test", test(), get(TEST_TABLE), get(TEST_WHERE)));
    }

    private InputSpec source(String option, Optional<String> uri, Optional<String> table, Optional<String> where) {
        return new InputSpec(option, uri, table, format(), get(READ_OPTION), where, get(FEATURES), csvHeader(),
                badRows());
    }

    /** The scaling asked for, {@code auto} resolved: standard under the Gaussian likelihood, none under Bernoulli. */
    public ScaleKind scale() {
        return get(SCALE).orElse(likelihood() == LikelihoodKind.GAUSSIAN ? ScaleKind.STANDARD : ScaleKind.NONE);
    }

    /** A configuration from its text form ({@link #asKeyValues}); keys it lacks take their defaults. */
    public static TrainConfig fromKeyValues(Map<String, String> values, String where) {
        return from(SettingValues.parse(OF_A_RUN, values, where), false, LocalDateTime.now());
    }

    @Override
    protected Settings saved() {
        return OF_A_RUN;
    }

    /** This configuration with every URI the user gave replaced by {@code qualify}'s result for (its key, its text). */
    public TrainConfig withUris(BiFunction<String, String, String> qualify) {
        return new TrainConfig(values().withUris(qualify));
    }

    public Optional<String> test() {
        return get(TEST);
    }

    public String output() {
        return get(OUTPUT);
    }

    public boolean overwrite() {
        return get(OVERWRITE);
    }

    public boolean resume() {
        return get(RESUME);
    }

    public int checkpointEvery() {
        return get(CHECKPOINT_EVERY);
    }

    public Optional<String> modelRoot() {
        return get(MODEL_ROOT);
    }

    public String runId() {
        return get(RUN_ID);
    }

    public double promoteMargin() {
        return get(PROMOTE_MARGIN);
    }

    public Optional<String> initFrom() {
        return get(INIT_FROM);
    }

    public InputFormat format() {
        return get(FORMAT);
    }

    public CsvHeader csvHeader() {
        return get(CSV_HEADER);
    }

    public BadRowPolicy badRows() {
        return get(BAD_ROWS);
    }

    public int epochs() {
        return get(EPOCHS);
    }

    public int batchSize() {
        return get(BATCH_SIZE);
    }

    public Optional<Integer> localSteps() {
        return get(LOCAL_STEPS);
    }

    public SyncMode sync() {
        return get(SYNC);
    }

    public RoundsMode rounds() {
        return get(ROUNDS);
    }

    public Optional<OuterKind> outer() {
        return get(OUTER);
    }

    public double outerLr() {
        return get(OUTER_LR);
    }

    public double outerMomentum() {
        return get(OUTER_MOMENTUM);
    }

    public int partitions() {
        return get(PARTITIONS);
    }

    public int aggregationDepth() {
        return get(AGGREGATION_DEPTH);
    }

    public List<Integer> hidden() {
        return get(HIDDEN);
    }

    public int latentDim() {
        return get(LATENT_DIM);
    }

    public Activation activation() {
        return get(ACTIVATION);
    }

    public LikelihoodKind likelihood() {
        return get(LIKELIHOOD);
    }

    public int samples() {
        return get(SAMPLES);
    }

    public double lr() {
        return get(LR);
    }

    public Optional<Double> peakLr() {
        return get(PEAK_LR);
    }

    public Optional<Double> warmupEpochs() {
        return get(WARMUP_EPOCHS);
    }

    public Optional<Double> decayEpochs() {
        return get(DECAY_EPOCHS);
    }

    public int maxLrHalvings() {
        return get(MAX_LR_HALVINGS);
    }

    public long seed() {
        return get(SEED);
    }

    /** The anomaly score the model writes and flags on. */
    public com.sparkvae.model.AnomalyScore scoreType() {
        return get(SCORE_TYPE);
    }

    /** The fraction of training rows taken as anomalies; 0 for no outlier threshold. */
    public double contamination() {
        return get(CONTAMINATION);
    }

    public double contaminationError() {
        return get(CONTAMINATION_ERROR);
    }

    public boolean hasModelRoot() {
        return modelRoot().isPresent();
    }

    public boolean gradientSync() {
        return sync() == SyncMode.GRADIENT;
    }

    /** The model for data of {@code inputDim} features. */
    public Architecture architecture(int inputDim) {
        Likelihood lik = likelihood() == LikelihoodKind.BERNOULLI ? new Likelihood.Bernoulli()
                : new Likelihood.Gaussian(get(GAUSSIAN_VARIANCE) == GaussianVariance.LEARNED,
                        get(GAUSSIAN_LOG_VARIANCE));
        return new Architecture(inputDim, hidden(), latentDim(), activation(), lik, samples());
    }

    public Optimizer optimizerWithRate(double rate) {
        return get(OPTIMIZER) == OptimizerKind.ADAM
                ? new Adam(rate, get(ADAM_BETA1), get(ADAM_BETA2), get(ADAM_EPSILON)) : new Sgd(rate);
    }
}
