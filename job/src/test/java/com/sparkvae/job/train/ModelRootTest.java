package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.store.ModelRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled retraining under a model root: promotion gate, the latest pointer, warm starts, the manifest. */
public class ModelRootTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static Path data;

    @TempDir
    static Path shared;

    @TempDir
    Path root;

    @BeforeAll
    static void start() throws Exception {
        data = SparkTestSupport.fashionSubset(shared.resolve("d-idx3-ubyte"), 1500);
    }

    @Test
    void aBetterRunIsPromotedAndAMuchWorseOneIsNot() throws Exception {
        assertTrue(run("first", Map.of("epochs", "2")).promoted(), "nothing to beat: promoted");
        assertEquals("runs/first", latest());

        // Warm-started from latest and trained further: not worse, so promoted.
        assertTrue(run("second", Map.of("epochs", "1", "init-from", "latest")).promoted());
        assertEquals("runs/second", latest());

        // From scratch with a learning rate too small to learn anything: far worse, so refused.
        TrainJob.Outcome worse = run("third", Map.of("epochs", "1", "lr", "1e-7"));
        assertFalse(worse.promoted());
        assertEquals("runs/second", latest(), "latest is unchanged");
        assertTrue(Files.exists(root.resolve("runs/third/_SUCCESS")), "the refused run is still kept");

        JsonNode manifest = new ObjectMapper().readTree(root.resolve("runs/third/manifest.json").toFile());
        JsonNode promotion = manifest.get("promotion");
        assertFalse(promotion.get("promoted").asBoolean());
        assertTrue(promotion.get("candidate_test_neg_elbo").asDouble()
                > promotion.get("latest_test_neg_elbo").asDouble() + promotion.get("margin").asDouble());
    }

    @Test
    void manifestRecordsConfigurationDataMetricsAndVersions() throws Exception {
        run("only", Map.of("epochs", "1"));
        JsonNode m = new ObjectMapper().readTree(root.resolve("runs/only/manifest.json").toFile());
        assertEquals("8", m.get("config").get("hidden").asText());
        assertEquals(1500, m.get("data").get("train").get("examples").asLong());
        assertEquals(784, m.get("data").get("train").get("dimension").asInt());
        assertEquals(16, m.get("data").get("train").get("fingerprint").asText().length());
        assertTrue(m.get("final").has("test_neg_elbo"));
        assertEquals(SPARK.session().version(), m.get("versions").get("spark").asText());
        assertEquals(SparkTestSupport.sparkVersion(), SPARK.session().version(), "the tests run on the line's own Spark");
        assertTrue(m.get("promotion").get("promoted").asBoolean());
    }

    @Test
    void warmStartFromAnotherArchitectureIsRefused() throws Exception {
        run("small", Map.of("epochs", "1"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> run("other", Map.of("epochs", "1", "init-from", "latest", "hidden", "12")));
        assertTrue(e.getMessage().contains("another architecture"), e.getMessage());
    }

    @Test
    void modelRootNeedsAHeldOutSet() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestConfigs.train(Map.of("model-root", root.toString(), "test", "none")));
        assertTrue(e.getMessage().startsWith("model-root:"), e.getMessage());
    }

    @Test
    void retentionAfterARunKeepsTheNewestAndThePromotedOnesAndSaysWhatItRemoved() throws Exception {
        Map<String, String> keepOne = Map.of("epochs", "1", "keep-runs", "1", "keep-grace", "0");
        run("a", keepOne);
        run("b", Map.of("epochs", "1", "lr", "1e-7", "keep-runs", "1", "keep-grace", "0"));   // not promoted
        run("c", Map.of("epochs", "2", "init-from", "latest", "keep-runs", "1", "keep-grace", "0"));
        run("d", Map.of("epochs", "3", "init-from", "latest", "keep-runs", "1", "keep-grace", "0"));
        // d is the newest and promoted, c the one it replaced; a and b go.
        assertEquals("runs/d", latest());
        try (var runs = Files.list(root.resolve("runs"))) {
            assertEquals(java.util.List.of("c", "d"), runs.map(p -> p.getFileName().toString()).sorted().toList());
        }
        JsonNode retention = new ObjectMapper().readTree(root.resolve("runs/d/manifest.json").toFile())
                .get("retention");
        assertTrue(retention != null && retention.get("removed_runs").toString().contains("a"),
                "the manifest says what was removed: " + retention);
    }

    private TrainJob.Outcome run(String id, Map<String, String> opts) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("input", data.toString(), "test", data.toString(),
                "model-root", root.toString(), "run-id", id, "hidden", "8", "latent-dim", "2"));
        all.putAll(opts);
        return TrainJob.run(SPARK.session(), TestConfigs.train(all));
    }

    private String latest() throws Exception {
        return Files.readString(root.resolve(ModelRoot.LATEST)).trim();
    }
}
