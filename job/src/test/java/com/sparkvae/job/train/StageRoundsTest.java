package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.LikelihoodKind;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.TrainingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --rounds stage} against {@code --rounds jobs} on a real local Spark: with up to 5 partitions jobs mode
 * merges the replicas on the driver in partition order, and the stage's tasks sum in partition order with the same
 * single-precision arithmetic, so the two modes must take the very same steps.
 */
public class StageRoundsTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static Path data;

    @TempDir
    static Path shared;

    @BeforeAll
    static void start() throws Exception {
        data = SparkTestSupport.fashionSubset(shared.resolve("train-idx3-ubyte"), 2000);
    }

    @Test
    void theFirstRoundsAverageIsJobsModes() {
        // 2000 rows at a minibatch of 400: 5 steps an epoch, all in one round of 5 local steps.
        Map<String, String> opts = Map.of("epochs", "1", "hidden", "32", "latent-dim", "4", "batch-size", "400",
                "local-steps", "5", "partitions", "2");
        Run jobs = train(with(opts, "rounds", "jobs"));
        Run stage = train(with(opts, "rounds", "stage"));
        assertEquals(1L, stage.result.epochs().get(0).round(), "one round");
        assertArrayEquals(jobs.result.parameters(), stage.result.parameters());
    }

    @Test
    void aRunWithCheckpointsAndOuterMomentumEndsWhereJobsModeEnds() {
        // 2 epochs of 16 steps in rounds of 3 (an epoch's last of 1), a checkpoint every 2 rounds: spans of 2
        // rounds, each starting from the state the last one handed back.
        Map<String, String> opts = Map.of("epochs", "2", "hidden", "16", "latent-dim", "2", "batch-size", "128",
                "local-steps", "3", "partitions", "2", "checkpoint-every", "2", "outer-momentum", "0.6");
        Run jobs = train(with(opts, "rounds", "jobs"));
        Run stage = train(with(opts, "rounds", "stage"));
        assertEquals(jobs.result.epochs().stream().map(EpochMetrics::round).toList(),
                stage.result.epochs().stream().map(EpochMetrics::round).toList());
        assertEquals(jobs.checkpoints.size(), stage.checkpoints.size());
        for (int i = 0; i < jobs.checkpoints.size(); i++) {
            TrainingState j = jobs.checkpoints.get(i);
            TrainingState s = stage.checkpoints.get(i);
            assertEquals(j.round(), s.round());
            assertArrayEquals(j.vector(), s.vector(), "parameters, moments and outer buffer at round " + j.round());
        }
        assertArrayEquals(jobs.result.parameters(), stage.result.parameters());
        for (Run run : List.of(jobs, stage)) {
            for (EpochMetrics m : run.result.epochs()) {
                double round = m.roundMs().orElseThrow();
                double overhead = m.roundOverheadMs().orElseThrow();
                assertTrue(round > 0 && overhead < round, "epoch " + m.epoch() + ": " + round + " ms a round, "
                        + overhead + " of it beyond compute");
            }
        }
        assertEquals(jobs.result.epochs().get(1).testNegElbo().getAsDouble(),
                stage.result.epochs().get(1).testNegElbo().getAsDouble(), 1e-9);
    }

    @Test
    void aDivergingRoundInASpanIsRolledBackAsInJobsMode() {
        // As in TrainerTest: SGD at 0.4 blows up in the first round, three halvings reach 0.05. The stage stops
        // before the diverged round and the next span retries it at half the rate, outer buffer restored.
        Map<String, String> opts = Map.of("optimizer", "sgd", "epochs", "1", "hidden", "16", "latent-dim", "4",
                "local-steps", "8", "outer-momentum", "0.5", "warmup-epochs", "0", "decay-epochs", "0", "lr", "0.4",
                "peak-lr", "0.4");   // 2 partitions, so the outer step is momentum
        Run jobs = train(with(opts, "rounds", "jobs"));
        Run stage = train(with(opts, "rounds", "stage"));
        assertEquals(0.05, stage.result.epochs().get(0).learningRate(), 1e-12, "rolled back three times");
        assertArrayEquals(jobs.result.parameters(), stage.result.parameters());
    }

    @Test
    void aCsvInputOfSeveralFilesRunsAsInJobsMode() throws Exception {
        // Two files of one split each into two partitions: the shards are the files' splits, as read, with no
        // shuffle. Spark refuses a barrier stage over the partitions of a union, so the reader makes one RDD of all
        // the files; the shards are the ones jobs mode trains on, and the steps the same.
        Path csv = java.nio.file.Files.createDirectories(shared.resolve("rows.csv"));
        java.util.Random random = new java.util.Random(7);
        for (int f = 0; f < 2; f++) {
            StringBuilder rows = new StringBuilder();
            for (int r = 0; r < 300; r++) {
                for (int c = 0; c < 12; c++) {
                    rows.append(c == 0 ? "" : ",").append(random.nextInt(101) / 100.0);
                }
                rows.append('\n');
            }
            java.nio.file.Files.writeString(csv.resolve("part-" + f + ".csv"), rows);
        }
        Map<String, String> opts = Map.of("input", csv.toString(), "epochs", "2", "hidden", "8", "latent-dim", "2",
                "batch-size", "50", "local-steps", "3");
        Run jobs = train(with(opts, "rounds", "jobs"));
        Run stage = train(with(opts, "rounds", "stage"));
        assertArrayEquals(jobs.result.parameters(), stage.result.parameters());
    }

    @Test
    void moreReplicasThanTaskSlotsAreRefusedBeforeTraining() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> train(Map.of("rounds", "stage", "partitions", "3", "epochs", "1", "hidden", "8")));
        assertEquals("rounds: stage runs all 3 partitions at once, but the cluster has 2 task slots; lower "
                + "--partitions to 2, add cores, or use --rounds jobs", e.getMessage());
    }

    @Test
    void synchronousSgdStaysWithJobs() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(Map.of("rounds", "stage", "sync", "gradient")));
        assertTrue(e.getMessage().startsWith("rounds: stage averages"), e.getMessage());
    }

    @Test
    void autoTakesStageModeWhereItsBarrierStageCanRunAndJobsModeElsewhere() {
        assertEquals(StageRounds.Start.STAGE, start(Map.of("partitions", "2")), "2 partitions on 2 task slots");
        assertEquals(StageRounds.Start.JOBS_UNTIL_SLOTS, start(Map.of("partitions", "3")),
                "3 partitions on 2 task slots: jobs until executors to come bring a third");
        assertEquals(StageRounds.Start.JOBS, start(Map.of("partitions", "2", "sync", "gradient")),
                "one exact step a round");
        assertEquals(StageRounds.Start.JOBS, start(Map.of("partitions", "2", "rounds", "jobs")), "as asked");
        assertEquals(StageRounds.Start.STAGE, start(Map.of("partitions", "2", "rounds", "stage")), "as asked");
    }

    @Test
    void aStageLeavesNoThreadThatKeepsTheDriverAlive() {
        train(Map.of("rounds", "stage", "epochs", "1", "hidden", "8", "latent-dim", "2", "local-steps", "8"));
        // Spark 3.5 starts a non-daemon timer on a barrier task's first barrier() or allGather() in a JVM; in local
        // mode that JVM is the driver's, which would then not exit after main returned.
        List<String> held = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().startsWith("Barrier task timer"))
                .map(Thread::getName).toList();
        assertEquals(List.of(), held);
    }

    private record Run(Trainer.Result result, List<TrainingState> checkpoints) {
    }

    private Run train(Map<String, String> opts) {
        TrainConfig cfg = config(opts);
        ShardedData train = new DataReader(SPARK.session()).read(cfg.trainSource(), cfg.partitions(),
                cfg.likelihood() == LikelihoodKind.BERNOULLI, false);
        List<TrainingState> checkpoints = new ArrayList<>();
        try {
            Trainer trainer = new Trainer(SPARK.context(), cfg);
            Trainer.Result result = trainer.train(train, java.util.Optional.of(train),
                    trainer.initialState(train.dim(), ModelFeatures.UNNAMED), new Trainer.Listener() {
                        @Override
                        public void epochDone(List<EpochMetrics> history) {
                        }

                        @Override
                        public void checkpoint(TrainingState state) {
                            if (state.stepInEpoch() > 0) {
                                checkpoints.add(state);
                            }
                        }
                    });
            return new Run(result, checkpoints);
        } finally {
            train.unpersist();
        }
    }

    /** How a run of these options on this session starts its rounds. */
    private StageRounds.Start start(Map<String, String> opts) {
        TrainConfig cfg = config(opts);
        ShardedData train = new DataReader(SPARK.session()).read(cfg.trainSource(), cfg.partitions(), true, false);
        try {
            return StageRounds.start(SPARK.context(), cfg, train);
        } finally {
            train.unpersist();
        }
    }

    private TrainConfig config(Map<String, String> opts) {
        Map<String, String> all = new HashMap<>(Map.of("input", data.toString(), "test", data.toString(),
                "output", shared.resolve("out").toString()));
        all.putAll(opts);
        return TestConfigs.train(all);
    }

    private static Map<String, String> with(Map<String, String> a, String key, String value) {
        Map<String, String> m = new HashMap<>(a);
        m.put(key, value);
        return m;
    }
}
