package com.sparkvae.job.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention under a model root: the oldest finished runs beyond the policy go; the promoted run, the one it
 * replaced, the runs named to keep and young runs stay; a run left unfinished for a week goes.
 */
public class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path root;

    @Test
    void theOldestRunsBeyondTheNewestNGoButNeverThePromotedOnesNorYoungOnes() throws Exception {
        ModelRoot modelRoot = new ModelRoot(root.toString(), new Configuration());
        for (int day = 1; day <= 8; day++) {
            finished("d" + day, NOW.minus(Duration.ofDays(10 - day)));   // d1 ten days old ... d8 three days old
        }
        finished("fresh", NOW.minus(Duration.ofMinutes(30)));
        promote(modelRoot, "d2");
        promote(modelRoot, "d1");   // the promoted run is the oldest; the one it replaced, d2, next to it
        unfinished("abandoned", NOW.minus(Duration.ofDays(8)));
        unfinished("resumable", NOW.minus(Duration.ofDays(2)));

        Retention.Removed removed = Retention.apply(modelRoot, new Retention.Policy(Optional.of(3), Optional.empty(),
                Duration.ofHours(1)), Set.of("d3"), NOW);

        assertEquals(List.of("d4", "d5", "d6"), List.copyOf(new TreeSet<>(removed.finished())));
        assertEquals(List.of("abandoned"), removed.unfinished());
        assertEquals(List.of("d1", "d2", "d3", "d7", "d8", "fresh", "resumable"), runsLeft());
    }

    @Test
    void withBothRulesARunGoesOnlyWhenBothLetItAndWithNeitherNothingGoes() throws Exception {
        ModelRoot modelRoot = new ModelRoot(root.toString(), new Configuration());
        for (int day = 1; day <= 6; day++) {
            finished("d" + day, NOW.minus(Duration.ofDays(day * 2L)));   // d1 two days old ... d6 twelve
        }
        assertEquals(Retention.Removed.NOTHING, Retention.apply(modelRoot, new Retention.Policy(Optional.empty(),
                Optional.empty(), Duration.ZERO), Set.of(), NOW));
        Retention.Removed removed = Retention.apply(modelRoot, new Retention.Policy(Optional.of(2), Optional.of(7.0),
                Duration.ZERO), Set.of(), NOW);
        assertEquals(List.of("d4", "d5", "d6"), List.copyOf(new TreeSet<>(removed.finished())));
    }

    private void finished(String id, Instant at) throws Exception {
        Path run = Files.createDirectories(root.resolve("runs").resolve(id));
        Files.writeString(run.resolve("model.zip"), "");
        Files.setLastModifiedTime(Files.writeString(run.resolve(RunDirectory.SUCCESS), ""), FileTime.from(at));
    }

    private void unfinished(String id, Instant at) throws Exception {
        Path run = Files.createDirectories(root.resolve("runs").resolve("." + id + ".inprogress"));
        Files.setLastModifiedTime(Files.writeString(run.resolve("config.conf"), ""), FileTime.from(at));
        Files.setLastModifiedTime(run, FileTime.from(at));
    }

    private static void promote(ModelRoot root, String run) throws Exception {
        root.promote(run, incumbent -> new ModelRoot.Verdict(true, 1, OptionalDouble.empty(), "test"), "rows", 0,
                "test");
    }

    private List<String> runsLeft() throws Exception {
        try (Stream<Path> runs = Files.list(root.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString().replaceAll("^\\.(.*)\\.inprogress$", "$1")).sorted()
                    .toList();
        }
    }
}
