package com.sparkvae.job;

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

    public static Trainer.Result run(SparkSession spark, TrainConfig cfg) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        RunDirectory run = new RunDirectory(cfg.output(), hadoop);
        run.prepare(cfg.overwrite(), cfg.resume());
        Checkpoints checkpoints = new Checkpoints(run.work(), hadoop);
        Optional<TrainingState> resumed = cfg.resume() ? checkpoints.latest(cfg) : Optional.empty();
        if (cfg.resume() && resumed.isEmpty()) {
            throw new ConfigException("resume: the unfinished run at " + run.work() + " has no checkpoint yet; "
                    + "start it again without --resume");
        }
        run.writeConfig(cfg);
        LOG.info("run directory {} (published to {} when complete)", run.work(), run.target());

        DatasetReader reader = new DatasetReader(spark, cfg.format(), cfg.csvHeader());
        com.sparkvae.model.Likelihood likelihood = cfg.architecture(1).likelihood();
        Dataset train = reader.read(cfg.input(), cfg.partitions(), likelihood);
        Optional<Dataset> test = Optional.empty();
        try {
            if (cfg.test().isPresent()) {
                Dataset t = reader.read(cfg.test().get(), cfg.partitions(), likelihood);
                if (t.dim() != train.dim()) {
                    throw new DataException(cfg.test().get() + ": test rows have " + t.dim()
                            + " values but training rows (" + cfg.input() + ") have " + train.dim());
                }
                test = Optional.of(t);
            }
            Trainer trainer = new Trainer(JavaSparkContext.fromSparkContext(spark.sparkContext()), cfg);
            TrainingState start = resumed.orElseGet(() -> trainer.initialState(train.dim()));
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
            run.publish();
            LOG.info("run published to {}", run.target());
            return result;
        } finally {
            train.unpersist();
            test.ifPresent(Dataset::unpersist);
        }
    }
}
