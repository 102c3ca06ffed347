package com.sparkvae.job.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class CheckpointsTest {
    private static final float[] VECTOR = {1.5f, -0f, Float.MIN_VALUE, -3.25e7f, Float.MAX_VALUE, 0.1f};

    @TempDir
    Path dir;

    @Test
    void aCheckpointGivesBackItsVectorBitForBit() throws Exception {
        Checkpoints c = checkpoints();
        c.write(TrainingState.initial(VECTOR, 0.001, ModelFeatures.UNNAMED), config());
        assertArrayEquals(VECTOR, c.latest(config()).orElseThrow().vector());
    }

    @Test
    void aCheckpointWithTheVectorDeflatedAsEarlierVersionsWroteItStillResumes() throws Exception {
        Checkpoints c = checkpoints();
        c.write(TrainingState.initial(new float[VECTOR.length], 0.001, ModelFeatures.UNNAMED), config());
        Path file;
        try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
            file = files.filter(f -> f.toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
        // vector.bin float by float and deflated, as earlier versions wrote it.
        SavedZips.rewriteEntry(file, "vector.bin", old -> SavedZips.floatByFloat(0x56414543, VECTOR));
        assertArrayEquals(VECTOR, c.latest(config()).orElseThrow().vector());
    }

    private Checkpoints checkpoints() {
        return new Checkpoints(new org.apache.hadoop.fs.Path(dir.toString()), new Configuration());
    }

    private TrainConfig config() {
        return TestConfigs.train(Map.of("epochs", "1", "hidden", "4", "latent-dim", "2", "test", "none",
                "output", dir.resolve("out").toString()));
    }
}
