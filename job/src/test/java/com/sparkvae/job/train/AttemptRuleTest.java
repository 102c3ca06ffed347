package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.store.Checkpoints;
import com.sparkvae.job.store.RunDirectory;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A later attempt of one application (YARN's second ApplicationMaster) and the run directory it finds. */
class AttemptRuleTest {
    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    @Test
    void theFirstAttemptResumesOnlyWhenAsked() throws Exception {
        RunDirectory run = run();
        assertFalse(AttemptRule.resumes(1, config(false), run, checkpoints(run)));
        assertTrue(AttemptRule.resumes(1, config(true), run, checkpoints(run)));
    }

    @Test
    void aLaterAttemptContinuesFromTheEarlierAttemptsCheckpoint() throws Exception {
        RunDirectory run = run();
        run.prepare(false, false);
        assertFalse(AttemptRule.resumes(2, config(false), run, checkpoints(run)), "no checkpoint: start again");
        checkpoints(run).write(TrainingState.initial(new float[] {1, 2, 3}, 0.001, ModelFeatures.UNNAMED), config(false));
        assertTrue(AttemptRule.resumes(2, config(false), run, checkpoints(run)));
    }

    @Test
    void aLaterAttemptNeverReplacesAFinishedRun() throws Exception {
        RunDirectory run = run();
        Files.createDirectories(dir.resolve("out"));
        Files.createFile(dir.resolve("out").resolve(RunDirectory.SUCCESS));
        ConfigException e = assertThrows(ConfigException.class,
                () -> AttemptRule.resumes(2, config(false), run, checkpoints(run)));
        assertTrue(e.getMessage().contains("holds a finished run; attempt 2"), e.getMessage());
    }

    private RunDirectory run() {
        return new RunDirectory("file:" + dir.resolve("out"), hadoop);
    }

    private Checkpoints checkpoints(RunDirectory run) {
        return new Checkpoints(run.work(), hadoop);
    }

    private TrainConfig config(boolean resume) {
        return TestConfigs.train(Map.of("output", "file:" + dir.resolve("out"), "resume", Boolean.toString(resume)));
    }
}
