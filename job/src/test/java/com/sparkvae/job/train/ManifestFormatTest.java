package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.store.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * manifest.json keeps its format: manifests written by an earlier release (src/test/resources/golden, see its README)
 * read into today's record and write back as the same bytes, with and without held-out data, an outer momentum and a
 * promotion against a previous latest.
 */
public class ManifestFormatTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest
    @ValueSource(strings = {"run-2-epochs/manifest.json", "promoted-runs/first-manifest.json",
            "promoted-runs/second-manifest.json"})
    void anEarlierReleasesManifestReadsAndWritesBackUnchanged(String file) throws Exception {
        String golden = Files.readString(GOLDEN.resolve(file));
        assertEquals(golden, Json.read(golden, Manifest.class).toJson());
    }

    @Test
    void thePartsARunLacksAreLeftOut() throws Exception {
        Manifest first = Json.read(Files.readString(GOLDEN.resolve("promoted-runs/first-manifest.json")),
                Manifest.class);
        assertNull(first.promotion().latest());
        assertTrue(first.promotion().promoted());
        assertEquals("momentum", first.schedule().outer());
        String plain = Files.readString(GOLDEN.resolve("run-2-epochs/manifest.json"));
        Manifest run = Json.read(plain, Manifest.class);
        assertNull(run.promotion());
        assertNull(run.schedule().outerLr());
        assertFalse(plain.contains("promotion") || plain.contains("outer_lr"), plain);
        assertEquals(8.603919042488382, run.bestTest().testNegElbo().getAsDouble());
    }
}
