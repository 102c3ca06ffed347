package com.sparkvae.job.train;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.cluster.SharedStorage;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.RowBlock;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.report.ElboChart;
import com.sparkvae.job.report.ImageGrid;
import com.sparkvae.job.report.ModelPictures;
import com.sparkvae.job.store.Checkpoints;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.ModelLocation;
import com.sparkvae.job.store.ModelRoot;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.RunDirectory;
import com.sparkvae.job.store.TrainingState;
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
        SharedStorage.requireVisibleToExecutors(jsc, "input", cfg.input());
        cfg.test().ifPresent(t -> SharedStorage.requireVisibleToExecutors(jsc, "test", t));
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

        DataReader reader = new DataReader(spark, cfg.format(), cfg.csvHeader(), cfg.badRows());
        com.sparkvae.model.Likelihood likelihood = cfg.architecture(1).likelihood();
        ShardedData train = reader.read(cfg.input(), cfg.partitions(), likelihood);
        Optional<ShardedData> test = Optional.empty();
        try {
            if (cfg.test().isPresent()) {
                ShardedData t = reader.read(cfg.test().get(), cfg.partitions(), likelihood);
                if (t.dim() != train.dim()) {
                    throw new DataException(cfg.test().get() + ": test rows have " + t.dim()
                            + " values but training rows (" + cfg.input() + ") have " + train.dim());
                }
                test = Optional.of(t);
            }
            Trainer trainer = new Trainer(jsc, cfg);
            String initialisedFrom = "";
            TrainingState start;
            if (resumed.isPresent()) {
                start = resumed.get();
            } else if (cfg.initFrom().isPresent()) {
                Path model = initFromModel(cfg, cfg.initFrom().get(), hadoop);
                start = WarmStart.from(model, hadoop, cfg, train.dim());
                initialisedFrom = model.toString();
                LOG.info("warm start from {}", model);
            } else {
                start = trainer.initialState(train.dim());
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
            ModelStore.save(new Path(run.work(), ModelStore.FILE_NAME), hadoop, cfg, train.dim(), result.parameters());
            writePictures(run, cfg.architecture(train.dim()), result, test.orElse(train), cfg.seed());
            Optional<Manifest.Promotion> promotion = cfg.hasModelRoot()
                    ? Optional.of(decidePromotion(cfg, hadoop, trainer, test.get(), result)) : Optional.empty();
            boolean promote = promotion.map(Manifest.Promotion::promoted).orElse(true);
            run.writeText("manifest.json", Manifest.of(cfg, train, test, result, started, java.time.Instant.now(),
                    spark.version(), promotion, initialisedFrom).toJson());
            run.publish();
            LOG.info("run published to {}", run.target());
            if (cfg.hasModelRoot() && promote) {
                new ModelRoot(cfg.modelRoot().get(), hadoop).promote(cfg.runId());
                LOG.info("promoted: {}/latest now names runs/{}", cfg.modelRoot().get(), cfg.runId());
            }
            return new Outcome(result, promote);
        } finally {
            train.unpersist();
            test.ifPresent(ShardedData::unpersist);
        }
    }

    /**
     * The gate: the new run replaces latest unless its held-out negative ELBO is worse than latest's, evaluated
     * now on the same held-out data, by more than the margin. Records both figures and the decision.
     */
    private static Manifest.Promotion decidePromotion(TrainConfig cfg, Configuration hadoop, Trainer trainer,
                                                      ShardedData test, Trainer.Result result) throws IOException {
        List<EpochMetrics> epochs = result.epochs();
        double candidate = epochs.get(epochs.size() - 1).testNegElbo().getAsDouble();
        Optional<Path> latest = new ModelRoot(cfg.modelRoot().get(), hadoop).latestRun();
        if (latest.isEmpty()) {
            LOG.info("promotion: no previous latest under {}; promoting (test -ELBO {})", cfg.modelRoot().get(),
                    String.format("%.3f", candidate));
            return new Manifest.Promotion(test.uri(), candidate, cfg.promoteMargin(), null, null,
                    "no previous latest", true);
        }
        ModelStore.SavedModel incumbent = ModelStore.load(new Path(latest.get(), ModelStore.FILE_NAME), hadoop);
        if (incumbent.inputDim() != test.dim()) {
            throw new DataException(latest.get() + ": the latest model reads " + incumbent.inputDim()
                    + " features but " + test.uri() + " has " + test.dim());
        }
        double current = trainer.meanNegElbo(test, incumbent.architecture(), incumbent.parameters());
        boolean promote = candidate <= current + cfg.promoteMargin();
        LOG.info(String.format("promotion: new run %.3f against latest %.3f nats on %s (margin %.3f): %s",
                candidate, current, test.uri(), cfg.promoteMargin(), promote ? "promoted" : "NOT promoted"));
        return new Manifest.Promotion(test.uri(), candidate, cfg.promoteMargin(), latest.get().toString(), current,
                promote ? "not worse than latest by more than the margin" : "worse than latest by more than the margin",
                promote);
    }

    /**
     * elbo.png always; samples.png and reconstructions.png (of the first rows of the held-out data, or of the
     * training data without one) when the rows are square images.
     */
    private static void writePictures(RunDirectory run, com.sparkvae.model.Architecture arch, Trainer.Result result,
                                      ShardedData shown, long seed) throws IOException {
        run.writeBytes("elbo.png", ElboChart.elboCurve(result.epochs()));
        java.util.OptionalInt side = ImageGrid.squareSide(arch.inputDim());
        if (side.isEmpty()) {
            LOG.info("rows of {} values are not square images: no samples.png or reconstructions.png", arch.inputDim());
            return;
        }
        int scale = side.getAsInt() < 64 ? 2 : 1;
        run.writeBytes("samples.png", ImageGrid.grid(ModelPictures.samples(arch, result.parameters(), 64, seed),
                side.getAsInt(), 8, scale));
        RowBlock first = shown.blocks().first();
        List<float[]> originals = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(32, first.rows()); i++) {
            originals.add(java.util.Arrays.copyOfRange(first.values(), i * first.dim(), (i + 1) * first.dim()));
        }
        run.writeBytes("reconstructions.png", ImageGrid.grid(ModelPictures.reconstructions(arch, result.parameters(),
                originals), side.getAsInt(), 16, scale));
    }

    /** The model.zip named by --init-from: 'latest' under the model root, or anything {@link ModelLocation} finds. */
    private static Path initFromModel(TrainConfig cfg, String initFrom, Configuration hadoop) throws IOException {
        if (initFrom.equals(TrainConfig.LATEST)) {
            return ModelLocation.latestOf(new ModelRoot(cfg.modelRoot().orElseThrow(), hadoop), "init-from");
        }
        return ModelLocation.resolve(initFrom, "init-from", hadoop);
    }
}
