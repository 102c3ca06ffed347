package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL part-way, then rerun with {@code --resume}, ends with exactly the parameters of an
 * uninterrupted run with the same seed and partitions.
 */
public class ResumeIT {
    @TempDir
    Path dir;

    @Test
    void killedRunResumedFromItsCheckpointEqualsAnUninterruptedRun() throws Exception {
        Path data = SparkTestSupport.fashionSubset(dir.resolve("d-idx3-ubyte"), 2000);
        List<String> options = List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false", "train",
                "--input", data.toString(), "--test", "none", "--epochs", "8", "--hidden", "32", "--latent-dim", "4",
                "--batch-size", "64", "--local-steps", "2", "--checkpoint-every", "3");

        Path whole = dir.resolve("whole");
        SubmitScriptIT.Result r = SubmitScriptIT.submit(dir, with(options, "--output", whole.toString()));
        assertEquals(0, r.code(), r.output());

        Path killed = dir.resolve("killed");
        Path work = dir.resolve(".killed.inprogress");
        Process p = SubmitScriptIT.start(dir.resolve("killed.log"), with(options, "--output", killed.toString()));
        Path checkpoints = work.resolve("checkpoints");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!hasCheckpoint(checkpoints) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean-up
        p.waitFor();
        assertTrue(hasCheckpoint(checkpoints), "a checkpoint was written before the kill");
        assertFalse(Files.exists(killed.resolve(RunDirectory.SUCCESS)), "the run was killed before it finished");
        assertFalse(Files.exists(killed), "a killed run leaves nothing at --output");

        SubmitScriptIT.Result resumed = SubmitScriptIT.submit(dir,
                with(options, "--output", killed.toString(), "--resume"));
        assertEquals(0, resumed.code(), resumed.output());
        assertTrue(resumed.output().contains("resuming at round"), resumed.output());

        Configuration conf = new Configuration();
        float[] expected = ModelStore.load(new org.apache.hadoop.fs.Path(whole.resolve("model.zip").toString()), conf)
                .parameters();
        float[] actual = ModelStore.load(new org.apache.hadoop.fs.Path(killed.resolve("model.zip").toString()), conf)
                .parameters();
        assertArrayEquals(expected, actual);
        assertEquals(8, Files.readAllLines(killed.resolve("metrics.jsonl")).size());
    }

    private static boolean hasCheckpoint(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".ckpt"));
        }
    }

    private static String[] with(List<String> options, String... more) {
        Stream<String> all = Stream.concat(options.stream(), Stream.of(more));
        return all.toArray(String[]::new);
    }
}
