package com.sparkvae.job;

import static com.sparkvae.job.Converters.anyLong;
import static com.sparkvae.job.Converters.autoOr;
import static com.sparkvae.job.Converters.bool;
import static com.sparkvae.job.Converters.choice;
import static com.sparkvae.job.Converters.closedUnitInterval;
import static com.sparkvae.job.Converters.emptyOr;
import static com.sparkvae.job.Converters.finiteDouble;
import static com.sparkvae.job.Converters.fraction;
import static com.sparkvae.job.Converters.inputFormat;
import static com.sparkvae.job.Converters.intAtLeast;
import static com.sparkvae.job.Converters.keyValues;
import static com.sparkvae.job.Converters.nameList;
import static com.sparkvae.job.Converters.nonEmptyText;
import static com.sparkvae.job.Converters.nonNegativeDouble;
import static com.sparkvae.job.Converters.noneOr;
import static com.sparkvae.job.Converters.positiveDouble;
import static com.sparkvae.job.Converters.positiveIntList;
import static com.sparkvae.job.Converters.text;
import static com.sparkvae.job.Converters.unitInterval;

import com.sparkvae.job.Setting.Trait;
import com.sparkvae.model.Activation;
import com.sparkvae.model.AnomalyScore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option of {@code train}, declared once. The command line, the config file ({@code conf/vae.conf}), {@code
 * --help}, saved configurations and {@link TrainConfig} all read this list; a value given on the command line
 * overrides the config file, which overrides the default here.
 */
public final class TrainSettings {
    /** The parts of the schedule chosen from the number of partitions (see the train package's ScheduleRule). */
    static final String PEAK_DOC = "--lr × P, P the number of partitions holding data (replicas averaged).";
    static final String WARMUP_DOC = "1 epoch (at most a tenth of the run) when P > 1; 0 with one partition.";
    static final String DECAY_DOC = "the last quarter of the run when P > 1; 0 with one partition.";
    static final String LOCAL_STEPS_DOC = "512 / P², whatever the minibatch, at least 16 in jobs mode (128, "
            + "32, 16 for 2, 4, 8 or more partitions) and at least 4 in stage mode (128, 32, 8, 4 for 2, 4, 8, "
            + "11 or more), as --rounds runs; 512 with one partition, where nothing is averaged; after the first "
            + "epoch up to 1024 / P² while Spark takes over 5% of a round.";

    static final String OUTER_DOC = "momentum when P > 1, avg with one partition or where --local-steps auto "
            + "gives fewer than 8 steps.";

    public static final Setting<String> CONF = new Setting<>("conf", "FILE", "conf/vae.conf",
            "Config file of 'key = value' lines (any Hadoop URI); command-line options override it.", text())
            .with(Trait.URI, Trait.COMMAND_ONLY);
    public static final Setting<Optional<String>> INPUT = new Setting<>("input", "URI",
            "data/fashion-mnist/train-images-idx3-ubyte.gz",
            "Training data: an IDX file (gzipped or not), CSV files of numeric columns, or files of any Spark data "
                    + "source (--format).", emptyOr(text())).with(Trait.URI, Trait.COMMAND_ONLY);
    public static final Setting<Optional<String>> INPUT_TABLE = new Setting<>("input-table", "NAME", "",
            "Training rows from a table of the session's catalog (Hive metastore, Delta, Iceberg, any catalog the "
                    + "cluster configures), instead of --input.", emptyOr(nonEmptyText())).with(Trait.COMMAND_ONLY);
    public static final Setting<Optional<String>> TEST = new Setting<>("test", "URI",
            "data/fashion-mnist/t10k-images-idx3-ubyte.gz",
            "Held-out data scored after every epoch, in the format of --input; 'none' to skip. The default goes "
                    + "with the bundled training data only: with another input there is none unless given.",
            noneOr(text())).with(Trait.URI, Trait.COMMAND_ONLY);
    public static final Setting<Optional<String>> TEST_TABLE = new Setting<>("test-table", "NAME", "",
            "Held-out rows from a table of the session's catalog, instead of --test.", emptyOr(nonEmptyText()))
            .with(Trait.COMMAND_ONLY);
    public static final Setting<String> OUTPUT = new Setting<>("output", "URI", "runs/{timestamp}",
            "Run directory for the model, config and metrics.jsonl; {timestamp} becomes yyyyMMdd-HHmmss.",
            nonEmptyText()).with(Trait.URI, Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Boolean> OVERWRITE = new Setting<>("overwrite", "", "false",
            "Replace a finished run already at --output (it is removed only once the new run is complete).",
            bool()).with(Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Boolean> RESUME = new Setting<>("resume", "", "false",
            "Continue the unfinished run at --output from its last checkpoint, with the same options.",
            bool()).with(Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Integer> CHECKPOINT_EVERY = new Setting<>("checkpoint-every", "R", "50",
            "Write a checkpoint every R rounds (and at the end of every epoch); 0 for epoch ends only.",
            intAtLeast(0)).with(Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Optional<String>> MODEL_ROOT = new Setting<>("model-root", "URI", "",
            "Keep runs as <root>/runs/<run-id>/ and point <root>/latest at the newest promoted one (needs --test); "
                    + "replaces --output.", emptyOr(text())).with(Trait.URI, Trait.PLACES_RUN, Trait.COMMAND_ONLY);
    public static final Setting<String> RUN_ID = new Setting<>("run-id", "ID", "{timestamp}",
            "Name of the run under <model-root>/runs/; {timestamp} becomes yyyyMMdd-HHmmss.", nonEmptyText())
            .with(Trait.PLACES_RUN, Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Double> PROMOTE_MARGIN = new Setting<>("promote-margin", "NATS", "0",
            "With --model-root: promote the new run unless its held-out negative ELBO is worse than latest's, on "
                    + "the same held-out data, by more than this many nats per example.", nonNegativeDouble())
            .with(Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Optional<Integer>> KEEP_RUNS = new Setting<>("keep-runs", "N", "",
            "With --model-root: after a run, delete finished runs beyond the newest N (and older than --keep-days "
                    + "when given too); never the promoted run, the one it replaced, or runs younger than "
                    + "--keep-grace. Empty: keep all.", emptyOr(intAtLeast(1)))
            .with(Trait.PLACES_RUN, Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Optional<Double>> KEEP_DAYS = new Setting<>("keep-days", "D", "",
            "With --model-root: after a run, delete finished runs older than D days (and beyond the newest "
                    + "--keep-runs when given too). Empty: keep all.", emptyOr(positiveDouble()))
            .with(Trait.PLACES_RUN, Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Double> KEEP_GRACE = new Setting<>("keep-grace", "HOURS", "24",
            "Retention never deletes a run younger than this, nor an unfinished one idle for less than 7 days.",
            nonNegativeDouble()).with(Trait.PLACES_RUN, Trait.MAY_CHANGE_ON_RESUME, Trait.COMMAND_ONLY);
    public static final Setting<Optional<String>> INIT_FROM = new Setting<>("init-from", "URI|latest", "",
            "Warm start from a previous model (a run directory or its model.zip, or 'latest' under --model-root); "
                    + "it must have the same architecture and data dimension.", emptyOr(text()))
            .with(Trait.URI_OR_LATEST, Trait.PLACES_RUN, Trait.COMMAND_ONLY);
    public static final Setting<InputFormat> FORMAT = new Setting<>("format", "NAME", "auto",
            "Format of --input and --test: idx, csv (the job's readers), any Spark data source (parquet, orc, "
                    + "json, avro, delta, iceberg, ...), or auto: from the file name (.idx/-ubyte[.gz], .csv[.gz], "
                    + ".parquet, .orc, .json, .avro).", inputFormat()).with(Trait.COMMAND_ONLY);
    public static final Setting<Map<String, String>> READ_OPTION = new Setting<>("read-option", "KEY=VALUE", "",
            "An option of the Spark data source reader (--format), such as mergeSchema=true; repeatable, or "
                    + "comma-separated in a config file.", keyValues()).with(Trait.REPEATABLE, Trait.COMMAND_ONLY);
    public static final Setting<Optional<String>> WHERE = new Setting<>("where", "SQL", "",
            "Training rows: a Spark SQL filter on any column of a table or Spark source, such as "
                    + "\"visit_date >= '2026-11-30'\", applied when reading, so partitions are pruned.",
            emptyOr(nonEmptyText())).with(Trait.COMMAND_ONLY);
    public static final Setting<Optional<String>> TEST_WHERE = new Setting<>("test-where", "SQL", "",
            "Held-out rows: a filter like --where, on the held-out source.", emptyOr(nonEmptyText()))
            .with(Trait.COMMAND_ONLY);
    public static final Setting<Optional<List<String>>> FEATURES = new Setting<>("features", "auto|COLS", "auto",
            "Feature columns of a table or Spark source: comma-separated names or globs (mean_*,*_error), or one "
                    + "vector or numeric-array column; auto: the one vector or array column if there is one, else "
                    + "every numeric column. Other columns are ignored. Stored with the model.",
            autoOr(nameList())).with(Trait.COMMAND_ONLY);
    public static final Setting<CsvHeader> CSV_HEADER = new Setting<>("csv-header", "auto|true|false", "auto",
            "Whether CSV files start with a header line; auto treats a first line that is not numeric as a header.",
            choice(CsvHeader.class)).with(Trait.COMMAND_ONLY);
    public static final Setting<BadRowPolicy> BAD_ROWS = new Setting<>("bad-rows", "fail|skip|impute", "fail",
            "A malformed row (wrong width, non-numeric, NaN or infinite, outside [0, 1] under Bernoulli) or a null "
                    + "feature: fail naming its file and position (or column and row), skip it (the count and first "
                    + "examples go to the log and manifest.json), or impute: fill a null (or NaN) feature with its "
                    + "training mean, stored with the model and used again when scoring.", choice(BadRowPolicy.class));
    public static final Setting<Optional<ScaleKind>> SCALE = new Setting<>("scale", "auto|none|standard|minmax",
            "auto", "Feature scaling, its statistics from the training rows and stored with the model: standard "
                    + "(x - mean) / sd, minmax into [0, 1], or none; auto: standard under --likelihood gaussian, "
                    + "none under bernoulli.", autoOr(choice(ScaleKind.class)));
    public static final Setting<Integer> EPOCHS = new Setting<>("epochs", "N", "10",
            "Training epochs; an epoch is N points processed, all partitions together.", intAtLeast(1))
            .with(Trait.MAY_CHANGE_ON_RESUME);
    public static final Setting<Integer> BATCH_SIZE = new Setting<>("batch-size", "N", "128",
            "Global minibatch n of the gradient estimator, split across partitions in proportion to their shards.",
            intAtLeast(1));
    public static final Setting<Optional<Integer>> LOCAL_STEPS = new Setting<>("local-steps", "auto|K", "auto",
            "Optimiser steps each partition takes between two parameter averages (--sync params); auto: "
                    + LOCAL_STEPS_DOC, autoOr(intAtLeast(1)));
    public static final Setting<SyncMode> SYNC = new Setting<>("sync", "params|gradient", "params",
            "params: partitions take K local steps and the driver averages parameters and optimiser state; "
                    + "gradient: partitions return summed gradients and the driver takes one step (synchronous SGD).",
            choice(SyncMode.class));
    public static final Setting<RoundsMode> ROUNDS = new Setting<>("rounds", "auto|jobs|stage", "auto",
            "jobs: one Spark job per round; stage (--sync params only): one barrier stage per epoch (or up to the "
                    + "next checkpoint) whose tasks average among themselves every round; needs a task slot per "
                    + "partition and no dynamic allocation; auto: stage where it can run, else jobs, said in one "
                    + "line before training; jobs while the cluster lacks only task slots, stage once it has them.",
            choice(RoundsMode.class))
            .with(Trait.MAY_CHANGE_ON_RESUME);
    public static final Setting<Optional<OuterKind>> OUTER = new Setting<>("outer", "auto|avg|momentum|nesterov",
            "auto", "The driver's step from the replicas' mean each round (--sync params): avg takes the mean; "
                    + "momentum and nesterov keep a slow momentum on the averaged update (SlowMo); auto: "
                    + OUTER_DOC, autoOr(choice(OuterKind.class)));
    public static final Setting<Double> OUTER_LR = new Setting<>("outer-lr", "RATE", "1",
            "The outer step's rate α (momentum and nesterov): 1 moves the model by the mean's update plus the "
                    + "momentum.", positiveDouble());
    public static final Setting<Double> OUTER_MOMENTUM = new Setting<>("outer-momentum", "B", "0.3",
            "The outer step's momentum β (momentum and nesterov).", unitInterval());
    public static final Setting<Integer> PARTITIONS = new Setting<>("partitions", "P", "2",
            "Number of data partitions (shards), i.e. model replicas trained in parallel.", intAtLeast(1));
    public static final Setting<Integer> AGGREGATION_DEPTH = new Setting<>("aggregation-depth", "D", "2",
            "Depth of Spark's treeAggregate when summing replicas.", intAtLeast(1));
    public static final Setting<List<Integer>> HIDDEN = new Setting<>("hidden", "SIZES", "400",
            "Hidden layer sizes of the encoder, comma-separated; the decoder mirrors them.", positiveIntList());
    public static final Setting<Integer> LATENT_DIM = new Setting<>("latent-dim", "N", "20",
            "Dimension of the latent variable t.", intAtLeast(1));
    public static final Setting<Activation> ACTIVATION = new Setting<>("activation", "NAME", "relu",
            "Hidden-layer activation: relu, tanh or elu.", choice(Activation.class));
    public static final Setting<LikelihoodKind> LIKELIHOOD = new Setting<>("likelihood", "NAME", "bernoulli",
            "Decoder likelihood: bernoulli (data in [0, 1]) or gaussian.", choice(LikelihoodKind.class));
    public static final Setting<GaussianVariance> GAUSSIAN_VARIANCE = new Setting<>("gaussian-variance", "learned|fixed",
            "learned", "Gaussian likelihood only: learn a log-variance per feature, or keep it fixed.",
            choice(GaussianVariance.class));
    public static final Setting<Double> GAUSSIAN_LOG_VARIANCE = new Setting<>("gaussian-log-variance", "V", "0",
            "Gaussian likelihood only: the fixed log-variance, or the learned one's starting value.", finiteDouble());
    public static final Setting<Integer> SAMPLES = new Setting<>("samples", "L", "1",
            "Draws of t per point in the reconstruction term.", intAtLeast(1));
    public static final Setting<OptimizerKind> OPTIMIZER = new Setting<>("optimizer", "NAME", "adam",
            "adam or sgd.", choice(OptimizerKind.class));
    public static final Setting<Double> LR = new Setting<>("lr", "RATE", "0.001",
            "Learning rate of one replica: what a single process would use at the per-partition minibatch. "
                    + "Applied to the per-example gradient of the negative ELBO. The schedule starts from it and is "
                    + "chosen from the number of partitions P (README.md, \"Learning-rate schedule\"); with one "
                    + "partition and the options below on auto, it is the rate of every step.", positiveDouble());
    public static final Setting<Optional<Double>> PEAK_LR = new Setting<>("peak-lr", "auto|RATE", "auto",
            "Learning rate after the warm-up; auto: " + PEAK_DOC, autoOr(positiveDouble()));
    public static final Setting<Optional<Double>> WARMUP_EPOCHS = new Setting<>("warmup-epochs", "auto|E",
            "auto", "Epochs over which the rate rises linearly from --lr to the peak (fractions allowed; never more "
                    + "than the run); auto: " + WARMUP_DOC, autoOr(nonNegativeDouble()));
    public static final Setting<Optional<Double>> DECAY_EPOCHS = new Setting<>("decay-epochs", "auto|E",
            "auto", "Final epochs over which the rate falls from the peak towards 0 along a half cosine (fractions "
                    + "allowed; 0 holds the peak to the end); auto: " + DECAY_DOC,
            autoOr(nonNegativeDouble()));
    public static final Setting<Integer> MAX_LR_HALVINGS = new Setting<>("max-lr-halvings", "N", "3",
            "A round with a non-finite loss is rolled back and retried at half the learning rate, at most N times "
                    + "in a run; then the run fails.", intAtLeast(0)).with(Trait.MAY_CHANGE_ON_RESUME);
    public static final Setting<Double> ADAM_BETA1 = new Setting<>("adam-beta1", "B", "0.9",
            "Adam's first-moment decay.", unitInterval());
    public static final Setting<Double> ADAM_BETA2 = new Setting<>("adam-beta2", "B", "0.999",
            "Adam's second-moment decay.", unitInterval());
    public static final Setting<Double> ADAM_EPSILON = new Setting<>("adam-epsilon", "E", "1e-8",
            "Adam's epsilon.", positiveDouble());
    public static final Setting<Long> SEED = new Setting<>("seed", "N", "1",
            "Seed of every random stream: initialisation, minibatches, noise.", anyLong());
    public static final Setting<AnomalyScore> SCORE_TYPE = new Setting<>("score-type", "nll|excess|recon", "excess",
            "The anomaly score that score and VaeModel write as anomaly_score (higher: more anomalous) and "
                    + "--contamination flags on. excess: -log p(x) - H(x), the likelihood minus the input's own "
                    + "Bernoulli code length H(x) = sum_d -[x_d log x_d + (1-x_d) log(1-x_d)], which a VAE's "
                    + "preference for simple inputs leaves in -log p(x); recon: the reconstruction error at the "
                    + "latent mean, -log p(x|m(x)) - H(x); nll: -log p(x). H(x) is 0 under --likelihood gaussian "
                    + "(excess is then -log p(x)).", choice(AnomalyScore.class)).with(Trait.MAY_CHANGE_ON_RESUME);
    public static final Setting<Double> CONTAMINATION = new Setting<>("contamination", "F", "0",
            "The expected fraction of anomalies in the training rows: when above 0, the model stores as its outlier "
                    + "threshold the (1 - F) quantile of the training rows' --score-type scores, and score and "
                    + "VaeModel flag rows above it (outlier 1.0, else 0.0). 0: no threshold, no outlier column.",
            fraction()).with(Trait.MAY_CHANGE_ON_RESUME);
    public static final Setting<Double> CONTAMINATION_ERROR = new Setting<>("contamination-error", "E", "0.001",
            "The relative error of that quantile (Spark's approxQuantile); 0 computes it exactly, at more cost.",
            closedUnitInterval()).with(Trait.MAY_CHANGE_ON_RESUME);

    /** In the order of {@code --help} and {@code conf/vae.conf}. */
    public static final Settings ALL = Settings.of(CONF, INPUT, INPUT_TABLE, TEST, TEST_TABLE, OUTPUT, OVERWRITE,
            RESUME, CHECKPOINT_EVERY, MODEL_ROOT, RUN_ID, PROMOTE_MARGIN, KEEP_RUNS, KEEP_DAYS, KEEP_GRACE, INIT_FROM,
            FORMAT, READ_OPTION, WHERE,
            TEST_WHERE, FEATURES, CSV_HEADER, BAD_ROWS, SCALE, EPOCHS,
            BATCH_SIZE, LOCAL_STEPS, SYNC, ROUNDS, OUTER, OUTER_LR, OUTER_MOMENTUM, PARTITIONS, AGGREGATION_DEPTH, HIDDEN, LATENT_DIM, ACTIVATION, LIKELIHOOD,
            GAUSSIAN_VARIANCE, GAUSSIAN_LOG_VARIANCE, SAMPLES, OPTIMIZER, LR, PEAK_LR, WARMUP_EPOCHS, DECAY_EPOCHS,
            MAX_LR_HALVINGS, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, SEED, SCORE_TYPE, CONTAMINATION,
            CONTAMINATION_ERROR);

    /** The settings a run's configuration holds: all but the config file that may have supplied them. */
    public static final Settings OF_A_RUN = new Settings(ALL.all().subList(1, ALL.all().size()));

    private TrainSettings() {
    }
}
