package com.sparkvae.job.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.DataException;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.model.ParameterLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ModelStoreTest {
    private static final int INPUT_DIM = 3;

    @TempDir
    Path dir;

    @Test
    void aModelWrittenFloatByFloatAsEarlierVersionsDidLoadsBitForBit() throws Exception {
        float[] params = parameters();
        Path file = save(new float[params.length]);
        SavedZips.rewriteEntry(file, "parameters.bin", old -> SavedZips.floatByFloat(0x56414531, params));
        assertArrayEquals(params, load(file).parameters());
    }

    @Test
    void aModelWhoseParametersAreCutShortIsRefusedWithTheirByteCounts() throws Exception {
        float[] params = parameters();
        Path file = save(params);
        SavedZips.rewriteEntry(file, "parameters.bin", bytes -> Arrays.copyOf(bytes, bytes.length - 4));
        DataException e = assertThrows(DataException.class, () -> load(file));
        assertTrue(e.getMessage().contains("parameters.bin holds " + (4 * params.length - 4)
                + " bytes after its header, not the " + params.length + " floats it announces"), e.getMessage());
    }

    /** The model's parameters, with values whose bits a careless conversion would change. */
    private float[] parameters() {
        float[] p = new float[(int) new ParameterLayout(config().architecture(INPUT_DIM)).size()];
        float[] special = {1.5f, -0f, Float.MIN_VALUE, -3.25e7f, Float.MAX_VALUE, 0.1f};
        for (int i = 0; i < p.length; i++) {
            p[i] = special[i % special.length] * (1 + i);
        }
        return p;
    }

    private Path save(float[] params) throws Exception {
        Path file = dir.resolve("model.zip");
        ModelStore.save(new org.apache.hadoop.fs.Path(file.toString()), new Configuration(), config(), INPUT_DIM,
                params, ModelFeatures.UNNAMED);
        return file;
    }

    private static ModelStore.SavedModel load(Path file) throws Exception {
        return ModelStore.load(new org.apache.hadoop.fs.Path(file.toString()), new Configuration());
    }

    private TrainConfig config() {
        return TestConfigs.train(Map.of("epochs", "1", "hidden", "4", "latent-dim", "2", "test", "none",
                "output", dir.resolve("out").toString()));
    }
}
