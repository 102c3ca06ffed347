package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.model.ParameterLayout;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    private static final int INPUT_DIM = 3;

    @TempDir
    Path dir;

    @Test
    void aModelWrittenFloatByFloatAsEarlierVersionsDidLoadsBitForBit() throws Exception {
        float[] params = parameters();
        Path file = save(new float[params.length]);
        rewriteParameters(file, old -> floatByFloat(params));
        assertArrayEquals(params, load(file).parameters());
    }

    @Test
    void aModelWhoseParametersAreCutShortIsRefusedWithTheirByteCounts() throws Exception {
        float[] params = parameters();
        Path file = save(params);
        rewriteParameters(file, bytes -> Arrays.copyOf(bytes, bytes.length - 4));
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
                params);
        return file;
    }

    private static ModelStore.SavedModel load(Path file) throws Exception {
        return ModelStore.load(new org.apache.hadoop.fs.Path(file.toString()), new Configuration());
    }

    /** parameters.bin as DataOutputStream wrote it: magic "VAE1", the count, the floats one by one, big-endian. */
    private static byte[] floatByFloat(float[] params) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bytes);
            d.writeInt(0x56414531);
            d.writeInt(params.length);
            for (float v : params) {
                d.writeFloat(v);
            }
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every entry as it was, except parameters.bin, replaced by {@code change} of its bytes. */
    private static void rewriteParameters(Path file, UnaryOperator<byte[]> change) throws Exception {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream in = new ZipInputStream(raw);
             ZipOutputStream out = new ZipOutputStream(copy)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals("parameters.bin") ? change.apply(data) : data);
                out.closeEntry();
            }
        }
        // Through Hadoop's local file system, which keeps the checksum file beside it in step.
        try (OutputStream o = FileSystem.getLocal(new Configuration()).create(
                new org.apache.hadoop.fs.Path(file.toString()), true)) {
            copy.writeTo(o);
        }
    }

    private TrainConfig config() {
        return TrainOptions.resolve(Map.of(), Map.of("epochs", "1", "hidden", "4", "latent-dim", "2", "test", "none",
                "output", dir.resolve("out").toString()));
    }
}
