package com.sparkvae.job.train;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.InputSpec;
import com.sparkvae.job.LikelihoodKind;
import com.sparkvae.job.ScaleKind;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.cluster.SharedStorage;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.FeatureScaling;
import com.sparkvae.job.data.RowBlock;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.report.ElboChart;
import com.sparkvae.job.report.ImageGrid;
import com.sparkvae.job.report.ModelPictures;
import com.sparkvae.job.store.Checkpoints;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.ModelLocation;
import com.sparkvae.job.store.ModelRoot;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.Retention;
import com.sparkvae.job.store.RunDirectory;
import com.sparkvae.job.store.TrainingState;
import com.sparkvae.model.FeatureTransform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code train}: read the data, run the rounds with checkpoints, publish the run directory. */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    private TrainJob() {
    }

    /** What a run produced, and whether it was promoted to {@code latest} (always true without a model root). */
    public record Outcome(Trainer.Result result, boolean promoted) {
    }

    public static Outcome run(SparkSession spark, TrainConfig cfg) throws IOException {
        java.time.Instant started = java.time.Instant.now();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        RunDirectory run = new RunDirectory(cfg.output(), hadoop);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        InputSpec trainSpec = cfg.trainSource();
        Optional<InputSpec> testSpec = cfg.testSource();
        trainSpec.uri().ifPresent(u -> SharedStorage.requireVisibleToExecutors(jsc, "input", u));
        testSpec.flatMap(InputSpec::uri).ifPresent(u -> SharedStorage.requireVisibleToExecutors(jsc, "test", u));
        Checkpoints checkpoints = new Checkpoints(run.work(), hadoop);
        int attempt = AttemptRule.attemptOf(spark.sparkContext());
        boolean resume = AttemptRule.resumes(attempt, cfg, run, checkpoints);
        run.prepare(cfg.overwrite(), resume);
        Optional<TrainingState> resumed = resume ? checkpoints.latest(cfg) : Optional.empty();
        if (resume && resumed.isEmpty()) {
            throw new ConfigException("resume: the unfinished run at " + run.work() + " has no checkpoint yet; "
                    + "start it again without --resume");
        }
        run.writeConfig(cfg);
        LOG.info("run directory {} (published to {} when complete)", run.work(), run.target());

        // The model's features are fixed once: by the checkpoint a resumed run continues, by the model a warm start
        // continues, or else fitted to the training rows read here.
        Optional<Path> initModel = resumed.isEmpty() && cfg.initFrom().isPresent()
                ? Optional.of(initFromModel(cfg, cfg.initFrom().get(), hadoop)) : Optional.empty();
        Optional<ModelFeatures> fixed = resumed.map(TrainingState::features)
                .or(() -> initModel.map(m -> loadFeatures(m, hadoop)));
        if (fixed.isPresent() && !fixed.get().columns().isEmpty() && trainSpec.features().isEmpty()) {
            trainSpec = trainSpec.withFeatures(fixed.get().columns());
        }
        boolean bernoulli = cfg.likelihood() == LikelihoodKind.BERNOULLI;
        String scaling = fixed.map(ModelFeatures::scaling).orElse(cfg.scale().key());
        boolean unitInterval = bernoulli && scaling.equals(ScaleKind.NONE.key());
        boolean fitting = fixed.isEmpty() && (cfg.scale() != ScaleKind.NONE || cfg.badRows() == BadRowPolicy.IMPUTE);
        DataReader reader = new DataReader(spark);
        ShardedData train = reader.read(trainSpec, cfg.partitions(), unitInterval, fitting);
        Optional<ShardedData> test = Optional.empty();
        try {
            ModelFeatures features = fixed.orElseGet(() -> fit(cfg, train, bernoulli));
            if (testSpec.isPresent()) {
                InputSpec t = train.featureColumns().isEmpty() ? testSpec.get()
                        : testSpec.get().withFeatures(train.featureColumns());
                test = Optional.of(reader.read(t, cfg.partitions(), unitInterval, false));
                if (test.get().dim() != train.dim()) {
                    throw new DataException(test.get().source() + ": test rows have " + test.get().dim()
                            + " values but training rows (" + train.source() + ") have " + train.dim());
                }
            }
            for (ShardedData d : test.isPresent() ? List.of(train, test.get()) : List.of(train)) {
                requireFillable(d, features, "this run's training means");
            }
            Trainer trainer = new Trainer(jsc, cfg);
            String initialisedFrom = "";
            TrainingState start;
            if (resumed.isPresent()) {
                start = resumed.get();
            } else if (initModel.isPresent()) {
                start = WarmStart.from(initModel.get(), hadoop, cfg, train.dim(), train.featureColumns());
                initialisedFrom = initModel.get().toString();
                LOG.info("warm start from {}", initModel.get());
            } else {
                start = trainer.initialState(train.dim(), features);
            }
            Trainer.Result result = trainer.train(train, test, start, new Trainer.Listener() {
                @Override
                public void epochDone(List<EpochMetrics> history) {
                    run.writeMetrics(history);
                }

                @Override
                public void checkpoint(TrainingState state) {
                    try {
                        checkpoints.write(state, cfg);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write a checkpoint in " + run.work(), e);
                    }
                }
            });
            ModelFeatures saved = start.features();
            ModelStore.save(new Path(run.work(), ModelStore.FILE_NAME), hadoop, cfg, train.dim(), result.parameters(),
                    saved);
            writePictures(run, cfg.architecture(train.dim()), saved, result, test.orElse(train), cfg.seed());
            Optional<Gate> gate = cfg.hasModelRoot()
                    ? Optional.of(new Gate(cfg, hadoop, trainer, test.get(), finalTest(result))) : Optional.empty();
            ModelRoot root = cfg.hasModelRoot() ? new ModelRoot(cfg.modelRoot().get(), hadoop) : null;
            // Judged before publishing, so that the published manifest holds a decision; settled after, against
            // whatever run is promoted by then.
            Optional<Manifest.Promotion> first = gate.isPresent()
                    ? Optional.of(gate.get().record(gate.get().judge(root.promotedRun()))) : Optional.empty();
            Manifest manifest = Manifest.of(cfg, train, test, saved, result, started, java.time.Instant.now(),
                    spark.version(), first, initialisedFrom);
            run.writeText("manifest.json", manifest.toJson());
            run.publish();
            LOG.info("run published to {}", run.target());
            boolean promote = true;
            if (gate.isPresent()) {
                ModelRoot.Outcome o = root.promote(cfg.runId(), gate.get()::judge, test.get().source(),
                        cfg.promoteMargin(), spark.sparkContext().applicationId());
                promote = o.verdict().promote();
                LOG.info(String.format("promotion at %s: runs/%s %.3f nats against %s on %s (margin %.3f): %s%s",
                        o.decidedAt(), cfg.runId(), o.verdict().candidate(), o.incumbent().map(i -> "runs/"
                                + i.run().getName() + " " + String.format("%.3f", o.verdict().incumbent()
                                .getAsDouble())).orElse("no promoted run"), test.get().source(), cfg.promoteMargin(),
                        promote ? "promoted (entry " + o.sequence() + " of " + root + "/promotions)" : "NOT promoted",
                        o.decisions() > 1 ? " after " + o.decisions() + " decisions" : ""));
                Retention.Removed removed = Retention.apply(root, new Retention.Policy(cfg.get(TrainSettings.KEEP_RUNS),
                        cfg.get(TrainSettings.KEEP_DAYS), java.time.Duration.ofMillis(Math.round(
                                cfg.get(TrainSettings.KEEP_GRACE) * 3_600_000))), java.util.Set.of(cfg.runId()),
                        java.time.Instant.now());
                run.rewritePublished("manifest.json", manifest.settled(gate.get().record(o.verdict())
                        .settled(o.sequence(), o.decisions(), o.decidedAt(), o.atomic()), removed.isEmpty() ? null
                        : new Manifest.RetentionEntry(removed.finished(), removed.unfinished())).toJson());
            }
            return new Outcome(result, promote);
        } finally {
            train.unpersist();
            test.ifPresent(ShardedData::unpersist);
        }
    }

    /** A fresh run's features: the columns read, and the transform fitted to the training rows' statistics. */
    private static ModelFeatures fit(TrainConfig cfg, ShardedData train, boolean bernoulli) {
        ScaleKind kind = cfg.scale();
        boolean impute = cfg.badRows() == BadRowPolicy.IMPUTE;
        if (train.stats().isEmpty()) {
            return new ModelFeatures(train.featureColumns(), kind.key(), null, null, null, false);
        }
        List<String> names = train.featureColumns().size() == train.dim() ? train.featureColumns() : List.of();
        FeatureTransform t = FeatureScaling.fit(kind, train.stats().get(), impute, bernoulli, names, train.source());
        if (kind != ScaleKind.NONE) {
            LOG.info("{} scaling of {} features fitted to the training rows{}", kind.key(), train.dim(),
                    impute ? "; missing values filled with their means" : "");
        }
        return ModelFeatures.of(train.featureColumns(), kind, t);
    }

    /** Missing values need the model's means to fill them; a model without them cannot read such rows. */
    private static void requireFillable(ShardedData data, ModelFeatures features, String whose) {
        if (data.imputedValues() > 0 && !features.transform().fillsMissing()) {
            throw new DataException(data.source() + ": " + data.imputedValues() + " missing values to impute, but "
                    + whose + " are not there (the model was trained without --bad-rows impute)");
        }
    }

    private static ModelFeatures loadFeatures(Path model, Configuration hadoop) {
        try {
            return ModelStore.load(model, hadoop).features();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model, e);
        }
    }

    private static double finalTest(Trainer.Result result) {
        List<EpochMetrics> epochs = result.epochs();
        return epochs.get(epochs.size() - 1).testNegElbo().getAsDouble();
    }

    /**
     * The gate: the new run is promoted unless its held-out negative ELBO is worse than the promoted run's,
     * evaluated now on the same held-out rows (each model through its own feature transform, both in the data's
     * units), by more than the margin. An incumbent is evaluated once, however often it is shown.
     */
    private static final class Gate {
        private final TrainConfig cfg;
        private final Configuration hadoop;
        private final Trainer trainer;
        private final ShardedData test;
        private final double candidate;
        private final java.util.Map<Path, Double> evaluated = new java.util.HashMap<>();
        private String lastShown;

        Gate(TrainConfig cfg, Configuration hadoop, Trainer trainer, ShardedData test, double candidate) {
            this.cfg = cfg;
            this.hadoop = hadoop;
            this.trainer = trainer;
            this.test = test;
            this.candidate = candidate;
        }

        ModelRoot.Verdict judge(Optional<ModelRoot.Promoted> incumbent) throws IOException {
            if (incumbent.isEmpty()) {
                return new ModelRoot.Verdict(true, candidate, java.util.OptionalDouble.empty(), "no previous latest");
            }
            Path run = incumbent.get().run();
            lastShown = run.toString();
            Double current = evaluated.get(run);
            if (current == null) {
                current = evaluate(run);
                evaluated.put(run, current);
            }
            boolean promote = candidate <= current + cfg.promoteMargin();
            return new ModelRoot.Verdict(promote, candidate, java.util.OptionalDouble.of(current), promote
                    ? "not worse than latest by more than the margin" : "worse than latest by more than the margin");
        }

        private double evaluate(Path latest) throws IOException {
            ModelStore.SavedModel incumbent = ModelStore.load(new Path(latest, ModelStore.FILE_NAME), hadoop);
            if (incumbent.inputDim() != test.dim()) {
                throw new DataException(latest + ": the latest model reads " + incumbent.inputDim()
                        + " features but " + test.source() + " has " + test.dim());
            }
            List<String> columns = incumbent.features().columns();
            if (!columns.isEmpty() && !test.featureColumns().isEmpty() && !columns.equals(test.featureColumns())) {
                throw new DataException(latest + ": the latest model reads " + incumbent.features().describe()
                        + " but " + test.source() + " gives " + test.featureColumns());
            }
            requireFillable(test, incumbent.features(), "the latest model's training means");
            return trainer.meanNegElbo(test, incumbent.architecture(), incumbent.parameters(),
                    incumbent.features().transform());
        }

        /** The manifest's record of {@code v}, the verdict on the incumbent judged last. */
        Manifest.Promotion record(ModelRoot.Verdict v) {
            return new Manifest.Promotion(test.source(), v.candidate(), cfg.promoteMargin(),
                    v.incumbent().isPresent() ? lastShown : null,
                    v.incumbent().isPresent() ? v.incumbent().getAsDouble() : null, v.reason(), v.promote());
        }
    }

    /**
     * elbo.png always; samples.png and reconstructions.png (of the first rows of the held-out data, or of the
     * training data without one) when the rows are square images.
     */
    private static void writePictures(RunDirectory run, com.sparkvae.model.Architecture arch, ModelFeatures features,
                                      Trainer.Result result, ShardedData shown, long seed) throws IOException {
        run.writeBytes("elbo.png", ElboChart.elboCurve(result.epochs()));
        java.util.OptionalInt side = ImageGrid.squareSide(arch.inputDim());
        if (side.isEmpty()) {
            LOG.info("rows of {} values are not square images: no samples.png or reconstructions.png", arch.inputDim());
            return;
        }
        int scale = side.getAsInt() < 64 ? 2 : 1;
        FeatureTransform transform = features.transform();
        run.writeBytes("samples.png", ImageGrid.grid(ModelPictures.forDisplay(ModelPictures.samples(arch,
                result.parameters(), transform, 64, seed)), side.getAsInt(), 8, scale));
        RowBlock first = shown.blocks().first();
        List<float[]> originals = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(32, first.rows()); i++) {
            originals.add(java.util.Arrays.copyOfRange(first.values(), i * first.dim(), (i + 1) * first.dim()));
        }
        run.writeBytes("reconstructions.png", ImageGrid.grid(ModelPictures.forDisplay(ModelPictures.reconstructions(
                arch, result.parameters(), transform, originals)), side.getAsInt(), 16, scale));
    }

    /** The model.zip named by --init-from: 'latest' under the model root, or anything {@link ModelLocation} finds. */
    private static Path initFromModel(TrainConfig cfg, String initFrom, Configuration hadoop) throws IOException {
        if (initFrom.equals(TrainConfig.LATEST)) {
            return ModelLocation.latestOf(new ModelRoot(cfg.modelRoot().orElseThrow(), hadoop), "init-from");
        }
        return ModelLocation.resolve(initFrom, "init-from", hadoop);
    }
}
