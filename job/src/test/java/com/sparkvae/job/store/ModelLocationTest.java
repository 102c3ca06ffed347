package com.sparkvae.job.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a user names a model leads to the same model.zip. */
public class ModelLocationTest {
    @TempDir
    Path root;

    @Test
    void aModelZipARunDirectoryAModelRootAndItsLatestFileNameTheSameModel() throws Exception {
        Path run = Files.createDirectories(root.resolve("runs/r1"));
        Path zip = Files.writeString(run.resolve("model.zip"), "");
        Files.writeString(run.resolve(RunDirectory.SUCCESS), "");
        new ModelRoot(root.toString(), new Configuration()).promote("r1", incumbent -> new ModelRoot.Verdict(true,
                1.0, java.util.OptionalDouble.empty(), "first"), "held-out rows", 0, "test");
        String expected = new org.apache.hadoop.fs.Path(zip.toString()).toUri().getPath();
        for (Path named : new Path[] {zip, run, root, root.resolve("latest")}) {
            assertEquals(expected, ModelLocation.resolve(named.toString(), "model", new Configuration()).toUri()
                    .getPath(), named.toString());
        }
    }

    @Test
    void anUnfinishedRunIsNotAModel() throws Exception {
        Path run = Files.createDirectories(root.resolve("half"));
        Files.writeString(run.resolve("model.zip"), "");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ModelLocation.resolve(run.toString(), "model", new Configuration()));
        assertTrue(e.getMessage().endsWith("half is an unfinished run (no _SUCCESS)"), e.getMessage());
    }

    @Test
    void aMissingModelOrAnEmptyRootIsNamedInOneLine() throws Exception {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ModelLocation.resolve(root.resolve("nope").toString(), "model", new Configuration()));
        assertTrue(missing.getMessage().startsWith("model: no such file or directory"), missing.getMessage());
        ConfigException empty = assertThrows(ConfigException.class,
                () -> ModelLocation.resolve(root.toString(), "init-from", new Configuration()));
        assertTrue(empty.getMessage().startsWith("init-from: ") && empty.getMessage().contains("neither"),
                empty.getMessage());
    }
}
