package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.CsvHeader;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainingDivergedException;
import com.sparkvae.job.LikelihoodKind;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.RunDirectory;
import com.sparkvae.job.store.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The training rounds on a real local Spark with a slice of Fashion-MNIST. */
public class TrainerTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static Path data;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        data = SparkTestSupport.fashionSubset(shared.resolve("train-idx3-ubyte"), 2000);
    }

    @Test
    void averagingOneSgdStepPerRoundEqualsSynchronousSgd() {
        // With equal shards, K = 1 and plain SGD, the average of the replicas' steps is the step of the average
        // gradient: both modes must land on the same parameters (up to float rounding).
        Map<String, String> common = Map.of("optimizer", "sgd", "lr", "0.05", "epochs", "1", "batch-size", "400",
                "partitions", "2", "hidden", "32", "latent-dim", "4");
        float[] averaged = train(with(common, Map.of("sync", "params", "local-steps", "1", "outer", "avg")))
                .parameters();
        float[] synchronous = train(with(common, Map.of("sync", "gradient"))).parameters();
        assertEquals(averaged.length, synchronous.length);
        for (int i = 0; i < averaged.length; i++) {
            assertEquals(synchronous[i], averaged[i], 1e-5 * Math.max(1, Math.abs(synchronous[i])), "parameter " + i);
        }
    }

    @Test
    void aDivergingRoundIsRolledBackAndRetriedAtHalfTheRate() {
        // SGD at 0.4 blows up in the first round here; 0.05 does not. Three halvings get there, and since a retry
        // restarts from the saved state with the same draws, the run ends exactly where a run at 0.05 ends.
        Map<String, String> common = Map.of("optimizer", "sgd", "epochs", "1", "hidden", "16", "latent-dim", "4",
                "partitions", "1");
        Trainer.Result rescued = train(with(common, Map.of("lr", "0.4", "max-lr-halvings", "3")));
        float[] direct = train(with(common, Map.of("lr", "0.05"))).parameters();
        assertArrayEquals(direct, rescued.parameters());
        assertEquals(0.05, rescued.epochs().get(0).learningRate(), 1e-12, "the metrics carry the rate in force");
    }

    @Test
    void aRolledBackRoundRestoresTheOuterMomentumToo() {
        // Two replicas with a slow momentum on their average: SGD at 0.4, 0.2 and 0.1 blows up in the first round
        // (writing NaN into the outer buffer too), 0.05 does not. The retried round must start from the buffer as
        // it was, or the rescued run would stay non-finite or drift from the one at 0.05.
        Map<String, String> common = Map.of("optimizer", "sgd", "epochs", "1", "hidden", "16", "latent-dim", "4",
                "partitions", "2", "local-steps", "8", "outer", "momentum", "outer-momentum", "0.5",
                "warmup-epochs", "0", "decay-epochs", "0");
        Trainer.Result rescued = train(with(common, Map.of("lr", "0.4", "peak-lr", "0.4", "max-lr-halvings", "3")));
        float[] direct = train(with(common, Map.of("lr", "0.05", "peak-lr", "0.05"))).parameters();
        assertEquals(0.05, rescued.epochs().get(0).learningRate(), 1e-12, "the round was rolled back three times");
        assertArrayEquals(direct, rescued.parameters());
    }

    @Test
    void resumingFromAMidRunStateEqualsAnUninterruptedRunWithOuterMomentum() {
        Map<String, String> opts = Map.of("epochs", "2", "hidden", "16", "latent-dim", "2", "partitions", "2",
                "local-steps", "4", "outer", "momentum", "outer-momentum", "0.6", "checkpoint-every", "2");
        List<TrainingState> states = new ArrayList<>();
        Trainer.Result whole = train(opts, Optional.empty(), states::add);
        TrainingState mid = states.stream().filter(s -> s.epoch() == 1 && s.stepInEpoch() > 0).findFirst()
                .orElseThrow();
        int size = whole.parameters().length;
        assertEquals(4L * size, mid.vector().length, "parameters, Adam's two moments and the outer momentum");
        boolean moving = false;
        for (int i = 3 * size; i < 4 * size && !moving; i++) {
            moving = mid.vector()[i] != 0f;
        }
        assertTrue(moving, "the saved outer momentum is not all zero");
        assertArrayEquals(whole.parameters(), train(opts, Optional.of(mid), s -> { }).parameters());
    }

    @Test
    void autoLocalStepsGrowAfterTheFirstEpochAndAResumedRunKeepsThem() {
        // 4 partitions: 32 steps a round by the rule, up to 64. A model this small is all Spark overhead, so the
        // first epoch's 2 rounds (63 steps of 32 examples) make the steps grow to 64: one round an epoch after it.
        Map<String, String> opts = Map.of("epochs", "3", "hidden", "16", "latent-dim", "2", "partitions", "4",
                "batch-size", "32");
        List<TrainingState> states = new ArrayList<>();
        Trainer.Result whole = train(opts, Optional.empty(), states::add);
        assertEquals(List.of(2L, 3L, 4L), whole.epochs().stream().map(EpochMetrics::round).toList());
        assertEquals(64, whole.localSteps());
        TrainingState afterFirst = states.stream().filter(s -> s.epoch() == 2).findFirst().orElseThrow();
        assertEquals(64, afterFirst.localSteps(), "the choice is checkpointed");
        Trainer.Result resumed = train(opts, Optional.of(afterFirst), s -> { });
        assertEquals(64, resumed.localSteps());
        assertArrayEquals(whole.parameters(), resumed.parameters());
    }

    @Test
    void plainAveragingIsTheOuterStepWithoutMomentumAtRateOne() {
        Map<String, String> common = Map.of("epochs", "1", "hidden", "16", "latent-dim", "2", "partitions", "2",
                "local-steps", "8");
        assertArrayEquals(train(with(common, Map.of("outer", "avg"))).parameters(),
                train(with(common, Map.of("outer", "momentum", "outer-momentum", "0", "outer-lr", "1")))
                        .parameters());
    }

    @Test
    void divergenceBeyondTheHalvingBoundFailsWithAClearMessage() {
        TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
                () -> train(Map.of("optimizer", "sgd", "epochs", "1", "hidden", "16", "latent-dim", "4", "lr", "0.4",
                        "max-lr-halvings", "2", "partitions", "1")));
        assertTrue(e.getMessage().contains("after 2 halvings of --lr 0.4"), e.getMessage());
    }

    @Test
    void onePartitionTrainsAtTheGivenRateAndMoreFollowTheSchedule() {
        Map<String, String> small = Map.of("epochs", "2", "hidden", "16", "latent-dim", "2", "lr", "0.002");
        Trainer.Result one = train(with(small, Map.of("partitions", "1")));
        assertEquals(1, one.schedule().replicas());
        for (EpochMetrics m : one.epochs()) {
            assertEquals(0.002, m.learningRate(), "epoch " + m.epoch());
        }
        Trainer.Result four = train(with(small, Map.of("partitions", "4")));
        assertEquals(0.008, four.schedule().rates().peak(), 1e-15);
        assertEquals(0.008, four.epochs().get(0).learningRate(), 1e-15, "past the warm-up, before the decay");
        assertTrue(four.epochs().get(1).learningRate() < 0.001, "decayed by the end of the run");
    }

    @Test
    void runsWithTheSameSeedAreIdentical() {
        Map<String, String> opts = Map.of("epochs", "1", "hidden", "32", "latent-dim", "4", "local-steps", "4");
        assertArrayEquals(train(opts).parameters(), train(opts).parameters());
    }

    @Test
    void trainingLowersTheHeldOutNegativeElbo() {
        Trainer.Result r = train(Map.of("epochs", "3", "hidden", "64", "latent-dim", "8", "batch-size", "64",
                "local-steps", "4", "lr", "0.003"));
        List<EpochMetrics> epochs = r.epochs();
        double first = epochs.get(0).testNegElbo().getAsDouble();
        double last = epochs.get(2).testNegElbo().getAsDouble();
        assertTrue(last < first - 10, "test -ELBO went from " + first + " to " + last);
        assertTrue(epochs.get(2).trainNegElbo() < epochs.get(0).trainNegElbo());
    }

    @Test
    void moreShardsThanAPartitionCanFillStillTrain() {
        // 2000 rows in 7 shards: sizes differ, and the minibatch splits in proportion to them.
        Trainer.Result r = train(Map.of("epochs", "1", "hidden", "16", "latent-dim", "2", "partitions", "7"));
        assertTrue(Double.isFinite(r.epochs().get(0).trainNegElbo()));
    }

    @Test
    void runDirectoryHoldsConfigMetricsAndALoadableModel() throws Exception {
        Path out = dir.resolve("run");
        TrainConfig cfg = config(Map.of("epochs", "2", "hidden", "16", "latent-dim", "3", "output", out.toString()));
        Trainer.Result result = TrainJob.run(SPARK.session(), cfg).result();

        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(2, lines.size());
        JsonNode epoch2 = new ObjectMapper().readTree(lines.get(1));
        for (String key : List.of("epoch", "round", "train_neg_elbo", "recon", "kl", "test_neg_elbo",
                "examples_per_sec", "elapsed_sec", "train_sec", "learning_rate", "round_ms", "round_overhead_ms")) {
            assertTrue(epoch2.has(key), "metrics line lacks " + key + ": " + lines.get(1));
        }
        assertEquals(2, epoch2.get("epoch").asInt());
        assertEquals(epoch2.get("train_neg_elbo").asDouble(),
                epoch2.get("recon").asDouble() + epoch2.get("kl").asDouble(), 1e-6);

        ModelStore.SavedModel model = ModelStore.load(new org.apache.hadoop.fs.Path(out.resolve("model.zip").toString()),
                new Configuration());
        assertArrayEquals(result.parameters(), model.parameters());
        assertEquals(784, model.inputDim());
        assertEquals(List.of(16), model.config().hidden());
        assertTrue(Files.readString(out.resolve("config.conf")).contains("latent-dim = 3"));
    }

    @Test
    void anOutputHoldingAModelIsRefused() throws Exception {
        Path out = dir.resolve("taken");
        TrainJob.run(SPARK.session(), config(Map.of("epochs", "1", "hidden", "8", "latent-dim", "2", "output", out.toString())));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> TrainJob.run(SPARK.session(), config(Map.of("epochs", "1", "output", out.toString()))));
        assertTrue(e.getMessage().contains("already holds a finished run"), e.getMessage());
    }

    @Test
    void overwriteReplacesAFinishedRunOnlyOnceTheNewOneIsComplete() throws Exception {
        Path out = dir.resolve("replaced");
        TrainJob.run(SPARK.session(), config(Map.of("epochs", "1", "hidden", "8", "latent-dim", "2", "output", out.toString())));
        TrainJob.run(SPARK.session(), config(Map.of("epochs", "2", "hidden", "8", "latent-dim", "2", "output", out.toString(),
                "overwrite", "true")));
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(Files.exists(out.resolve(RunDirectory.SUCCESS)));
        try (var siblings = Files.list(dir)) {
            assertEquals(List.of(), siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
                    .toList(), "no work or replaced directories are left behind");
        }
    }

    @Test
    void resumeWithoutAnUnfinishedRunIsRefused() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> TrainJob.run(SPARK.session(), config(Map.of("output", dir.resolve("never").toString(), "resume", "true"))));
        assertTrue(e.getMessage().startsWith("resume: no unfinished run"), e.getMessage());
    }

    private Trainer.Result train(Map<String, String> opts) {
        return train(opts, Optional.empty(), s -> { });
    }

    /** A run from {@code from} (or a fresh start), handing each state worth checkpointing to {@code checkpoints}. */
    private Trainer.Result train(Map<String, String> opts, Optional<TrainingState> from,
                                 Consumer<TrainingState> checkpoints) {
        TrainConfig cfg = config(opts);
        ShardedData train = new DataReader(SPARK.session()).read(cfg.trainSource(), cfg.partitions(),
                cfg.likelihood() == LikelihoodKind.BERNOULLI, false);
        try {
            Trainer trainer = new Trainer(SPARK.context(), cfg);
            return trainer.train(train, Optional.of(train), from.orElseGet(() -> trainer.initialState(train.dim(), ModelFeatures.UNNAMED)),
                    new Trainer.Listener() {
                        @Override
                        public void epochDone(List<EpochMetrics> history) {
                        }

                        @Override
                        public void checkpoint(TrainingState state) {
                            checkpoints.accept(state);
                        }
                    });
        } finally {
            train.unpersist();
        }
    }

    private TrainConfig config(Map<String, String> opts) {
        Map<String, String> all = new HashMap<>(Map.of("input", data.toString(), "test", data.toString(),
                "output", dir.resolve("out").toString()));
        all.putAll(opts);
        return TestConfigs.train(all);
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }
}
