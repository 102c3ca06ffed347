package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.ModelFeatures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --rounds stage} on an application under dynamic allocation, which Spark refuses to run a barrier stage in:
 * the run is refused in one line before its first round. Local mode ignores dynamic allocation unless Spark's own
 * {@code spark.dynamicAllocation.testing} says otherwise, and then Spark's scheduler applies the test it applies on a
 * cluster, which the job asks too.
 */
public class StageRoundsDynamicAllocationTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2, Map.of("spark.dynamicAllocation.enabled", "true",
            "spark.dynamicAllocation.testing", "true"));

    @TempDir
    static Path dir;

    @Test
    void aStageRunUnderDynamicAllocationIsRefusedBeforeItsFirstRound() throws Exception {
        Path data = SparkTestSupport.fashionSubset(dir.resolve("train-idx3-ubyte"), 200);
        TrainConfig cfg = TestConfigs.train(Map.of("input", data.toString(), "test", "none", "output",
                dir.resolve("out").toString(), "rounds", "stage", "epochs", "1", "hidden", "8", "latent-dim", "2"));
        ShardedData train = new DataReader(SPARK.session()).read(cfg.trainSource(), cfg.partitions(), true, false);
        try {
            Trainer trainer = new Trainer(SPARK.context(), cfg);
            ConfigException e = assertThrows(ConfigException.class, () -> trainer.train(train, Optional.empty(),
                    trainer.initialState(train.dim(), ModelFeatures.UNNAMED), new Trainer.Listener() {
                        @Override
                        public void epochDone(List<com.sparkvae.job.store.EpochMetrics> history) {
                            throw new AssertionError("an epoch ran");
                        }

                        @Override
                        public void checkpoint(com.sparkvae.job.store.TrainingState state) {
                        }
                    }));
            assertEquals("rounds: stage runs a barrier stage, which Spark refuses under dynamic allocation; set "
                    + "spark.dynamicAllocation.enabled=false or use --rounds jobs", e.getMessage());
            // The default, auto, runs the same options in jobs mode here.
            TrainConfig auto = TestConfigs.train(Map.of("input", data.toString(), "test", "none", "output",
                    dir.resolve("out").toString(), "epochs", "1", "hidden", "8", "latent-dim", "2"));
            assertEquals(StageRounds.Start.JOBS, StageRounds.start(SPARK.context(), auto, train));
        } finally {
            train.unpersist();
        }
    }
}
