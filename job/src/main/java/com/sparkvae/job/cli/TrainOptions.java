package com.sparkvae.job.cli;

import static com.sparkvae.job.cli.OptionDef.anyLong;
import static com.sparkvae.job.cli.OptionDef.autoOr;
import static com.sparkvae.job.cli.OptionDef.finiteDouble;
import static com.sparkvae.job.cli.OptionDef.intAtLeast;
import static com.sparkvae.job.cli.OptionDef.nonNegativeDouble;
import static com.sparkvae.job.cli.OptionDef.oneOf;
import static com.sparkvae.job.cli.OptionDef.positiveDouble;
import static com.sparkvae.job.cli.OptionDef.positiveIntList;
import static com.sparkvae.job.cli.OptionDef.text;
import static com.sparkvae.job.cli.OptionDef.unitInterval;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.train.ScheduleRule;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option of {@code train}, declared once. The command line, {@code conf/vae.conf} and {@code --help} all read
 * this list; a value given on the command line overrides the config file, which overrides the default here.
 */
public final class TrainOptions {
    public static final OptionDef<String> CONF = new OptionDef<>("conf", "FILE", "conf/vae.conf",
            "Config file of 'key = value' lines (any Hadoop URI); command-line options override it.", text());
    public static final OptionDef<String> INPUT = new OptionDef<>("input", "URI",
            "data/fashion-mnist/train-images-idx3-ubyte.gz",
            "Training data: an IDX file (gzipped or not), CSV files of numeric columns, or Parquet.", text());
    public static final OptionDef<String> TEST = new OptionDef<>("test", "URI",
            "data/fashion-mnist/t10k-images-idx3-ubyte.gz",
            "Held-out data scored after every epoch, same format and width as --input; 'none' to skip.", text());
    public static final OptionDef<String> OUTPUT = new OptionDef<>("output", "URI", "runs/{timestamp}",
            "Run directory for the model, config and metrics.jsonl; {timestamp} becomes yyyyMMdd-HHmmss.", text());
    public static final OptionDef<Boolean> OVERWRITE = new OptionDef<>("overwrite", "", "false",
            "Replace a finished run already at --output (it is removed only once the new run is complete).",
            OptionDef.bool());
    public static final OptionDef<Boolean> RESUME = new OptionDef<>("resume", "", "false",
            "Continue the unfinished run at --output from its last checkpoint, with the same options.",
            OptionDef.bool());
    public static final OptionDef<Integer> CHECKPOINT_EVERY = new OptionDef<>("checkpoint-every", "R", "50",
            "Write a checkpoint every R rounds (and at the end of every epoch); 0 for epoch ends only.",
            intAtLeast(0));
    public static final OptionDef<String> MODEL_ROOT = new OptionDef<>("model-root", "URI", "",
            "Keep runs as <root>/runs/<run-id>/ and point <root>/latest at the newest promoted one (needs --test); "
                    + "replaces --output.", text());
    public static final OptionDef<String> RUN_ID = new OptionDef<>("run-id", "ID", "{timestamp}",
            "Name of the run under <model-root>/runs/; {timestamp} becomes yyyyMMdd-HHmmss.", text());
    public static final OptionDef<Double> PROMOTE_MARGIN = new OptionDef<>("promote-margin", "NATS", "0",
            "With --model-root: promote the new run unless its held-out negative ELBO is worse than latest's, on "
                    + "the same held-out data, by more than this many nats per example.", nonNegativeDouble());
    public static final OptionDef<String> INIT_FROM = new OptionDef<>("init-from", "URI|latest", "",
            "Warm start from a previous model (a run directory or its model.zip, or 'latest' under --model-root); "
                    + "it must have the same architecture and data dimension.", text());
    public static final OptionDef<String> FORMAT = new OptionDef<>("format", "NAME", "auto",
            "Input format: auto (from the file name: .idx/-ubyte[.gz], .csv[.gz], .parquet), idx, csv or parquet.",
            oneOf("auto", "idx", "csv", "parquet"));
    public static final OptionDef<String> CSV_HEADER = new OptionDef<>("csv-header", "auto|true|false", "auto",
            "Whether CSV files start with a header line; auto treats a first line that is not numeric as a header.",
            oneOf("auto", "true", "false"));
    public static final OptionDef<String> BAD_ROWS = new OptionDef<>("bad-rows", "fail|skip", "fail",
            "A malformed row (wrong width, non-numeric, NaN or infinite, outside [0, 1] under Bernoulli): fail "
                    + "naming its file and position, or skip it (the count and first examples go to the log and "
                    + "manifest.json).", oneOf("fail", "skip"));
    public static final OptionDef<Integer> EPOCHS = new OptionDef<>("epochs", "N", "10",
            "Training epochs; an epoch is N points processed, all partitions together.", intAtLeast(1));
    public static final OptionDef<Integer> BATCH_SIZE = new OptionDef<>("batch-size", "N", "128",
            "Global minibatch n of the gradient estimator, split across partitions in proportion to their shards.",
            intAtLeast(1));
    public static final OptionDef<Optional<Integer>> LOCAL_STEPS = new OptionDef<>("local-steps", "auto|K", "auto",
            "Optimiser steps each partition takes between two parameter averages (--sync params); auto: "
                    + ScheduleRule.LOCAL_STEPS_DOC, autoOr(intAtLeast(1)));
    public static final OptionDef<String> SYNC = new OptionDef<>("sync", "params|gradient", "params",
            "params: partitions take K local steps and the driver averages parameters and optimiser state; "
                    + "gradient: partitions return summed gradients and the driver takes one step (synchronous SGD).",
            oneOf("params", "gradient"));
    public static final OptionDef<Integer> PARTITIONS = new OptionDef<>("partitions", "P", "2",
            "Number of data partitions (shards), i.e. model replicas trained in parallel.", intAtLeast(1));
    public static final OptionDef<Integer> AGGREGATION_DEPTH = new OptionDef<>("aggregation-depth", "D", "2",
            "Depth of Spark's treeAggregate when summing replicas.", intAtLeast(1));
    public static final OptionDef<List<Integer>> HIDDEN = new OptionDef<>("hidden", "SIZES", "400",
            "Hidden layer sizes of the encoder, comma-separated; the decoder mirrors them.", positiveIntList());
    public static final OptionDef<Integer> LATENT_DIM = new OptionDef<>("latent-dim", "N", "20",
            "Dimension of the latent variable t.", intAtLeast(1));
    public static final OptionDef<String> ACTIVATION = new OptionDef<>("activation", "NAME", "relu",
            "Hidden-layer activation: relu, tanh or elu.", oneOf("relu", "tanh", "elu"));
    public static final OptionDef<String> LIKELIHOOD = new OptionDef<>("likelihood", "NAME", "bernoulli",
            "Decoder likelihood: bernoulli (data in [0, 1]) or gaussian.", oneOf("bernoulli", "gaussian"));
    public static final OptionDef<String> GAUSSIAN_VARIANCE = new OptionDef<>("gaussian-variance", "learned|fixed",
            "learned", "Gaussian likelihood only: learn a log-variance per feature, or keep it fixed.",
            oneOf("learned", "fixed"));
    public static final OptionDef<Double> GAUSSIAN_LOG_VARIANCE = new OptionDef<>("gaussian-log-variance", "V", "0",
            "Gaussian likelihood only: the fixed log-variance, or the learned one's starting value.", finiteDouble());
    public static final OptionDef<Integer> SAMPLES = new OptionDef<>("samples", "L", "1",
            "Draws of t per point in the reconstruction term.", intAtLeast(1));
    public static final OptionDef<String> OPTIMIZER = new OptionDef<>("optimizer", "NAME", "adam",
            "adam or sgd.", oneOf("adam", "sgd"));
    public static final OptionDef<Double> LR = new OptionDef<>("lr", "RATE", "0.001",
            "Learning rate of one replica: what a single process would use at the per-partition minibatch. "
                    + "Applied to the per-example gradient of the negative ELBO. The schedule starts from it and is "
                    + "chosen from the number of partitions P (README.md, \"Learning-rate schedule\"); with one "
                    + "partition and the options below on auto, it is the rate of every step.", positiveDouble());
    public static final OptionDef<Optional<Double>> PEAK_LR = new OptionDef<>("peak-lr", "auto|RATE", "auto",
            "Learning rate after the warm-up; auto: " + ScheduleRule.PEAK_DOC, autoOr(positiveDouble()));
    public static final OptionDef<Optional<Double>> WARMUP_EPOCHS = new OptionDef<>("warmup-epochs", "auto|E",
            "auto", "Epochs over which the rate rises linearly from --lr to the peak (fractions allowed; never more "
                    + "than the run); auto: " + ScheduleRule.WARMUP_DOC, autoOr(nonNegativeDouble()));
    public static final OptionDef<Optional<Double>> DECAY_EPOCHS = new OptionDef<>("decay-epochs", "auto|E",
            "auto", "Final epochs over which the rate falls from the peak towards 0 along a half cosine (fractions "
                    + "allowed; 0 holds the peak to the end); auto: " + ScheduleRule.DECAY_DOC,
            autoOr(nonNegativeDouble()));
    public static final OptionDef<Integer> MAX_LR_HALVINGS = new OptionDef<>("max-lr-halvings", "N", "3",
            "A round with a non-finite loss is rolled back and retried at half the learning rate, at most N times "
                    + "in a run; then the run fails.", intAtLeast(0));
    public static final OptionDef<Double> ADAM_BETA1 = new OptionDef<>("adam-beta1", "B", "0.9",
            "Adam's first-moment decay.", unitInterval());
    public static final OptionDef<Double> ADAM_BETA2 = new OptionDef<>("adam-beta2", "B", "0.999",
            "Adam's second-moment decay.", unitInterval());
    public static final OptionDef<Double> ADAM_EPSILON = new OptionDef<>("adam-epsilon", "E", "1e-8",
            "Adam's epsilon.", positiveDouble());
    public static final OptionDef<Long> SEED = new OptionDef<>("seed", "N", "1",
            "Seed of every random stream: initialisation, minibatches, noise.", anyLong());

    /** In the order of {@code --help} and {@code conf/vae.conf}. */
    public static final List<OptionDef<?>> ALL = List.of(CONF, INPUT, TEST, OUTPUT, OVERWRITE, RESUME,
            CHECKPOINT_EVERY, MODEL_ROOT, RUN_ID, PROMOTE_MARGIN, INIT_FROM, FORMAT, CSV_HEADER, BAD_ROWS, EPOCHS,
            BATCH_SIZE, LOCAL_STEPS, SYNC, PARTITIONS, AGGREGATION_DEPTH, HIDDEN, LATENT_DIM, ACTIVATION, LIKELIHOOD,
            GAUSSIAN_VARIANCE, GAUSSIAN_LOG_VARIANCE, SAMPLES, OPTIMIZER, LR, PEAK_LR, WARMUP_EPOCHS, DECAY_EPOCHS,
            MAX_LR_HALVINGS, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON,
            SEED);

    static {
        checkUnique();
    }

    private TrainOptions() {
    }

    /** A duplicate definition is a programming error, refused when the class loads. */
    private static void checkUnique() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (OptionDef<?> def : ALL) {
            if (!keys.add(def.key())) {
                throw new IllegalStateException("option defined twice: " + def.key());
            }
        }
    }

    /** The option named {@code key}, or a {@link ConfigException} listing what exists. */
    public static OptionDef<?> byKey(String key, String where) {
        return byKey(ALL, key, where);
    }

    /** The option of {@code defs} named {@code key}, or a {@link ConfigException}. */
    static OptionDef<?> byKey(List<OptionDef<?>> defs, String key, String where) {
        for (OptionDef<?> def : defs) {
            if (def.key().equals(key)) {
                return def;
            }
        }
        throw new ConfigException("unknown option '" + key + "' " + where + "; run with --help to list options");
    }

    /**
     * Resolves the values: defaults, overridden by {@code fromFile}, overridden by {@code fromCommandLine}. Every
     * value is parsed and validated here, before Spark starts.
     */
    public static TrainConfig resolve(Map<String, String> fromFile, Map<String, String> fromCommandLine) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (OptionDef<?> def : ALL) {
            merged.put(def.key(), def.defaultText());
        }
        fromFile.forEach((k, v) -> merged.put(byKey(k, "in the config file").key(), v));
        fromCommandLine.forEach((k, v) -> merged.put(byKey(k, "on the command line").key(), v));
        String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String modelRoot = MODEL_ROOT.parse(merged.get(MODEL_ROOT.key())).replaceAll("/+$", "");
        String runId = RUN_ID.parse(merged.get(RUN_ID.key())).replace("{timestamp}", timestamp);
        String output = OUTPUT.parse(merged.get(OUTPUT.key())).replace("{timestamp}", timestamp);
        String test = TEST.parse(merged.get(TEST.key()));
        boolean hasTest = !(test.isEmpty() || test.equalsIgnoreCase("none"));
        if (!modelRoot.isEmpty()) {
            if (fromCommandLine.containsKey(OUTPUT.key())) {
                throw new ConfigException("output: give either --output or --model-root, not both");
            }
            if (!hasTest) {
                throw new ConfigException("model-root: promotion compares held-out negative ELBOs, so --test is required");
            }
            if (runId.isEmpty() || runId.contains("/")) {
                throw new ConfigException("run-id: must be a non-empty name without '/' (got '" + runId + "')");
            }
            output = modelRoot + "/runs/" + runId;
        }
        String initFrom = INIT_FROM.parse(merged.get(INIT_FROM.key()));
        if (initFrom.equals("latest") && modelRoot.isEmpty()) {
            throw new ConfigException("init-from: 'latest' needs --model-root");
        }
        return new TrainConfig(
                INPUT.parse(merged.get(INPUT.key())),
                hasTest ? java.util.Optional.of(test) : java.util.Optional.empty(),
                output,
                OVERWRITE.parse(merged.get(OVERWRITE.key())),
                RESUME.parse(merged.get(RESUME.key())),
                CHECKPOINT_EVERY.parse(merged.get(CHECKPOINT_EVERY.key())),
                modelRoot,
                runId,
                PROMOTE_MARGIN.parse(merged.get(PROMOTE_MARGIN.key())),
                initFrom,
                FORMAT.parse(merged.get(FORMAT.key())),
                CSV_HEADER.parse(merged.get(CSV_HEADER.key())),
                BAD_ROWS.parse(merged.get(BAD_ROWS.key())),
                EPOCHS.parse(merged.get(EPOCHS.key())),
                BATCH_SIZE.parse(merged.get(BATCH_SIZE.key())),
                LOCAL_STEPS.parse(merged.get(LOCAL_STEPS.key())),
                SYNC.parse(merged.get(SYNC.key())),
                PARTITIONS.parse(merged.get(PARTITIONS.key())),
                AGGREGATION_DEPTH.parse(merged.get(AGGREGATION_DEPTH.key())),
                HIDDEN.parse(merged.get(HIDDEN.key())),
                LATENT_DIM.parse(merged.get(LATENT_DIM.key())),
                ACTIVATION.parse(merged.get(ACTIVATION.key())),
                LIKELIHOOD.parse(merged.get(LIKELIHOOD.key())),
                GAUSSIAN_VARIANCE.parse(merged.get(GAUSSIAN_VARIANCE.key())),
                GAUSSIAN_LOG_VARIANCE.parse(merged.get(GAUSSIAN_LOG_VARIANCE.key())),
                SAMPLES.parse(merged.get(SAMPLES.key())),
                OPTIMIZER.parse(merged.get(OPTIMIZER.key())),
                LR.parse(merged.get(LR.key())),
                PEAK_LR.parse(merged.get(PEAK_LR.key())),
                WARMUP_EPOCHS.parse(merged.get(WARMUP_EPOCHS.key())),
                DECAY_EPOCHS.parse(merged.get(DECAY_EPOCHS.key())),
                MAX_LR_HALVINGS.parse(merged.get(MAX_LR_HALVINGS.key())),
                ADAM_BETA1.parse(merged.get(ADAM_BETA1.key())),
                ADAM_BETA2.parse(merged.get(ADAM_BETA2.key())),
                ADAM_EPSILON.parse(merged.get(ADAM_EPSILON.key())),
                SEED.parse(merged.get(SEED.key())));
    }

    /** The text of {@code train --help}. */
    public static String help() {
        return "Usage: submit.sh [spark-submit options] [train] [options]\n\n"
                + "Trains a variational autoencoder on Spark. Every option is also a key of the config file\n"
                + "(default conf/vae.conf); the command line wins over the file.\n\n"
                + "Other commands: score and sample (submit.sh score --help).\n\nOptions:\n" + optionList(ALL);
    }

    /** One entry per option: the flag, its default, and its documentation on the next line. */
    static String optionList(List<OptionDef<?>> defs) {
        StringBuilder sb = new StringBuilder();
        for (OptionDef<?> def : defs) {
            sb.append("  ").append(def.flag()).append(def.isFlag() ? "" : " " + def.valueHint())
                    .append("   [default: ").append(def.defaultText()).append("]\n");
            sb.append("      ").append(def.doc()).append('\n');
        }
        sb.append("  --help\n      Print this text.\n");
        return sb.toString();
    }
}
