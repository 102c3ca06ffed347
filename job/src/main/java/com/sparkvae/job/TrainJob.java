package com.sparkvae.job;

import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code train}: read the data, run the rounds, write the run directory. */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    private TrainJob() {
    }

    public static Trainer.Result run(SparkSession spark, TrainConfig cfg) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        RunOutput output = new RunOutput(cfg.output(), hadoop);
        output.prepare();
        output.writeConfig(cfg);
        LOG.info("run directory {}", output.dir());

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
            Trainer.Result result = new Trainer(JavaSparkContext.fromSparkContext(spark.sparkContext()), cfg)
                    .train(train, test, output::appendMetrics);
            ModelStore.save(new Path(output.dir(), ModelStore.FILE_NAME), hadoop, cfg, train.dim(), result.parameters());
            LOG.info("model written to {}", new Path(output.dir(), ModelStore.FILE_NAME));
            return result;
        } finally {
            train.unpersist();
            test.ifPresent(Dataset::unpersist);
        }
    }
}
