package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    private static final float[] VECTOR = {1.5f, -0f, Float.MIN_VALUE, -3.25e7f, Float.MAX_VALUE, 0.1f};

    @TempDir
    Path dir;

    @Test
    void aCheckpointGivesBackItsVectorBitForBit() throws Exception {
        Checkpoints c = checkpoints();
        c.write(TrainingState.initial(VECTOR, 0.001), config());
        assertArrayEquals(VECTOR, c.latest(config()).orElseThrow().vector());
    }

    @Test
    void aCheckpointWithTheVectorDeflatedAsEarlierVersionsWroteItStillResumes() throws Exception {
        Checkpoints c = checkpoints();
        c.write(TrainingState.initial(new float[VECTOR.length], 0.001), config());
        Path file;
        try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
            file = files.filter(f -> f.toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
        rewriteWithDeflatedVector(file, VECTOR);
        assertArrayEquals(VECTOR, c.latest(config()).orElseThrow().vector());
    }

    /** Every entry as it was, except vector.bin: VECTOR written float by float and deflated (the zip default). */
    private static void rewriteWithDeflatedVector(Path file, float[] vector) throws Exception {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream in = new ZipInputStream(raw);
             ZipOutputStream out = new ZipOutputStream(copy)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                if (e.getName().equals("vector.bin")) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    DataOutputStream d = new DataOutputStream(bytes);
                    d.writeInt(0x56414543);
                    d.writeInt(vector.length);
                    for (float v : vector) {
                        d.writeFloat(v);
                    }
                    data = bytes.toByteArray();
                }
                ZipEntry deflated = new ZipEntry(e.getName());
                out.putNextEntry(deflated);
                out.write(data);
                out.closeEntry();
            }
        }
        // Through Hadoop's local file system, which keeps the checksum file beside it in step.
        try (OutputStream o = FileSystem.getLocal(new Configuration()).create(
                new org.apache.hadoop.fs.Path(file.toString()), true)) {
            copy.writeTo(o);
        }
    }

    private Checkpoints checkpoints() {
        return new Checkpoints(new org.apache.hadoop.fs.Path(dir.toString()), new Configuration());
    }

    private TrainConfig config() {
        return TrainOptions.resolve(Map.of(), Map.of("epochs", "1", "hidden", "4", "latent-dim", "2", "test", "none",
                "output", dir.resolve("out").toString()));
    }
}
