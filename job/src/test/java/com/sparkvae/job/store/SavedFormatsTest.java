package com.sparkvae.job.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run written by an earlier release (src/test/resources/golden, see its README) still loads, and today's code
 * writes its checkpoint and metrics as the same bytes.
 */
public class SavedFormatsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/run-2-epochs");
    private static final String CHECKPOINT = "round-000000002.ckpt";

    @TempDir
    Path dir;

    @Test
    void aCheckpointOfAnEarlierReleaseResumesWhereThatRunStood() throws Exception {
        TrainingState s = goldenCheckpoint().latest(goldenConfig()).orElseThrow();
        assertEquals(2, s.round());
        assertEquals(3, s.epoch());
        assertEquals(0, s.stepInEpoch());
        assertEquals(12, s.iteration());
        assertEquals(2.9289321881345256E-4, s.learningRate());
        assertEquals(0, s.halvings());
        assertEquals(0.334958341, s.trainSeconds());
        assertEquals(0.561544607, s.elapsedSeconds());
        List<EpochMetrics> history = s.history();
        assertEquals(2, history.size());
        EpochMetrics second = history.get(1);
        assertEquals(2, second.epoch());
        assertEquals(2, second.round());
        assertEquals(8.549255865093075, second.trainNegElbo());
        assertEquals(OptionalDouble.of(8.603919042488382), second.testNegElbo());
        assertEquals(886.6038972041149, second.examplesPerSec());
    }

    @Test
    void todaysCodeWritesThatCheckpointAsTheSameBytes() throws Exception {
        TrainConfig config = goldenConfig();
        TrainingState s = goldenCheckpoint().latest(config).orElseThrow();
        Checkpoints again = new Checkpoints(new org.apache.hadoop.fs.Path(dir.resolve("again").toString()),
                new Configuration());
        again.write(s, config);
        Map<String, byte[]> before = SavedZips.entries(GOLDEN.resolve("checkpoints").resolve(CHECKPOINT));
        Map<String, byte[]> after = SavedZips.entries(dir.resolve("again/checkpoints").resolve(CHECKPOINT));
        assertEquals(List.copyOf(before.keySet()), List.copyOf(after.keySet()));
        for (String entry : before.keySet()) {
            if (entry.equals("config.json")) {
                assertSameOptionsAndNewOnesAtTheirDefaults(before.get(entry), after.get(entry));
            } else {
                assertArrayEquals(before.get(entry), after.get(entry), entry + " differs");
            }
        }
    }

    /** The options of the earlier release with their values, and every option added since at its default. */
    private static void assertSameOptionsAndNewOnesAtTheirDefaults(byte[] before, byte[] after) throws Exception {
        Map<String, String> earlier = Json.readTextMap(before);
        Map<String, String> now = Json.readTextMap(after);
        for (Map.Entry<String, String> e : now.entrySet()) {
            com.sparkvae.job.Setting<?> s = TrainSettings.OF_A_RUN.byKey(e.getKey()).orElseThrow();
            String expected = earlier.containsKey(e.getKey()) ? earlier.get(e.getKey()) : s.defaultText();
            assertEquals(s.parse(expected), s.parse(e.getValue()), e.getKey());
        }
        assertTrue(now.keySet().containsAll(earlier.keySet()), "no option dropped: " + now.keySet());
    }

    @Test
    void metricsLinesOfAnEarlierReleaseReadAndWriteBackUnchanged() throws Exception {
        String golden = Files.readString(GOLDEN.resolve("metrics.jsonl"));
        List<EpochMetrics> read = golden.lines().map(SavedFormatsTest::epoch).toList();
        assertEquals(golden, Json.lines(read));
    }

    @Test
    void anEpochWithoutHeldOutDataHasNoTestField() throws Exception {
        EpochMetrics m = new EpochMetrics(1, 4, 250.5, 240.25, 10.25, OptionalDouble.empty(), 1000, 2, 1.5, 1e-3,
                OptionalDouble.of(12.5), OptionalDouble.of(2.25));
        String line = Json.line(m);
        assertFalse(line.contains("test_neg_elbo"), line);
        assertTrue(line.startsWith("{\"epoch\":1,\"round\":4,\"train_neg_elbo\":250.5,"), line);
        assertTrue(line.endsWith(",\"round_ms\":12.5,\"round_overhead_ms\":2.25}"), line);
        assertEquals(m, epoch(line));
    }

    private static EpochMetrics epoch(String line) {
        try {
            return Json.read(line, EpochMetrics.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The golden run, copied: a test must not touch the checked-in files. */
    private Checkpoints goldenCheckpoint() throws Exception {
        Path run = dir.resolve("golden");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.copy(GOLDEN.resolve("checkpoints").resolve(CHECKPOINT), run.resolve("checkpoints").resolve(CHECKPOINT));
        return new Checkpoints(new org.apache.hadoop.fs.Path(run.toString()), new Configuration());
    }

    /** The options the golden run was made with, from its checkpoint: a resume must give the same ones. */
    private static TrainConfig goldenConfig() throws Exception {
        byte[] saved = SavedZips.entries(GOLDEN.resolve("checkpoints").resolve(CHECKPOINT)).get("config.json");
        return TrainConfig.fromKeyValues(Json.readTextMap(saved), "in the golden checkpoint");
    }
}
