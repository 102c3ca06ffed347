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
import com.sparkvae.job.score.OutlierThreshold;
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
        if (run.inPlace()) {
            LOG.info("run directory {}, written in place: _SUCCESS, written last, marks it finished", run.target());
        } else {
            LOG.info("run directory {} (published to {} when complete)", run.work(), run.target());
        }

        // The model's features are fixed once: by the checkpoint a resumed run continues, by the model a warm start
        // continues, or else fitted to the training rows read here.
        Optional<Path> initModel = resumed.isEmpty() && cfg.initFrom().isPresent()
                ? Optional.of(initFromModel(cfg, cfg.initFrom().get(), hadoop)) : Optional.empty();
        Optional<ModelFeatures> fixed = resumed.map(TrainingState::features)
                .or(() -> initModel.map(m -> RunInputs.loadFeatures(m, hadoop)));
        RunInputs inputs = RunInputs.read(spark, cfg, fixed);
        ShardedData train = inputs.train();
        Optional<ShardedData> test = inputs.test();
        try {
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
                start = trainer.initialState(train.dim(), inputs.features());
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
            ModelStore.SavedModel model = new ModelStore.SavedModel(cfg, train.dim(), result.parameters(), saved);
            model = model.withThreshold(OutlierThreshold.of(spark, train, model));
            model.threshold().ifPresent(t -> LOG.info("outlier threshold {} on {} ({} of the training rows above "
                    + "it)", t, cfg.scoreType().name().toLowerCase(java.util.Locale.ROOT), cfg.contamination()));
            ModelStore.save(new Path(run.work(), ModelStore.FILE_NAME), hadoop, model);
            writePictures(run, cfg.architecture(train.dim()), saved, result, test.orElse(train), cfg.seed());
            Optional<PromotionGate> gate = cfg.hasModelRoot()
                    ? Optional.of(new PromotionGate(cfg, hadoop, trainer, test.get(), result.epochs()))
                    : Optional.empty();
            Manifest manifest = Manifest.of(cfg, train, test, saved, result, started, java.time.Instant.now(),
                    spark.version(), gate.isPresent() ? Optional.of(gate.get().firstDecision()) : Optional.empty(),
                    initialisedFrom);
            run.writeText("manifest.json", manifest.toJson());
            run.publish();
            LOG.info("run published to {}", run.target());
            boolean promote = gate.isEmpty()
                    || gate.get().settle(run, manifest, spark.sparkContext().applicationId());
            return new Outcome(result, promote);
        } finally {
            train.unpersist();
            test.ifPresent(ShardedData::unpersist);
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
