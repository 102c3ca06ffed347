package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.CsvHeader;
import com.sparkvae.job.DataException;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.Checkpoints;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.TrainingState;
import com.sparkvae.model.Likelihood;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad data and bad settings: a clear error naming the file and position, and nothing finished-looking left. */
public class BadInputTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static final Likelihood BERNOULLI = new Likelihood.Bernoulli();

    @TempDir
    Path dir;

    @Test
    void emptyFileIsReported() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        assertMessage(DataException.class, () -> read(empty), "no data files");
    }

    @Test
    void directoryWithoutDataFilesIsReported() throws Exception {
        Path d = Files.createDirectory(dir.resolve("parts.csv"));
        Files.createFile(d.resolve("_SUCCESS"));
        assertMessage(DataException.class, () -> read(d), "no data files");
    }

    @Test
    void rowOfTheWrongWidthIsReportedWithItsByteOffset() throws Exception {
        Path csv = write("w.csv", "0.1,0.2\n0.3,0.4,0.5\n");
        assertMessage(DataException.class, () -> read(csv), "w.csv: byte offset 8: a row of 3 fields where the file's first row has 2");
    }

    @Test
    void nonNumericFieldIsReportedWithItsColumn() throws Exception {
        Path csv = write("n.csv", "0.1,0.2\n0.3,abc\n");
        assertMessage(DataException.class, () -> read(csv), "byte offset 8: column 2 holds 'abc' where a number was expected");
    }

    @Test
    void nanAndInfinityAreReported() throws Exception {
        assertMessage(DataException.class, () -> read(write("nan.csv", "0.1,0.2\nNaN,0.4\n")), "value NaN in column 1");
        assertMessage(DataException.class, () -> read(write("inf.csv", "0.1,Infinity\n")), "value Infinity in column 2");
    }

    @Test
    void idxWithAWrongMagicNumberIsReported() throws Exception {
        Path f = Files.write(dir.resolve("x-idx3-ubyte"), new byte[] {1, 2, 3, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 5});
        assertMessage(DataException.class, () -> read(f), "not an IDX file (magic number 0x01020304 at byte 0");
    }

    @Test
    void truncatedGzipIsReported() throws Exception {
        Path gz = SparkTestSupport.fashionSubset(dir.resolve("t-idx3-ubyte.gz"), 200);
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(all, all.length / 2));
        assertMessage(DataException.class, () -> read(gz), gz.toString());
    }

    @Test
    void corruptGzipIsReported() throws Exception {
        Path gz = SparkTestSupport.fashionSubset(dir.resolve("c-idx3-ubyte.gz"), 200);
        byte[] all = Files.readAllBytes(gz);
        // The CRC-32 in the gzip trailer no longer matches the data.
        for (int i = all.length - 8; i < all.length - 4; i++) {
            all[i] ^= 0x5a;
        }
        Files.write(gz, all);
        assertMessage(DataException.class, () -> read(gz), "corrupt gzip data");
    }

    @Test
    void parquetOfNoNumericColumnIsReportedWithItsColumns() throws Exception {
        String p = dir.resolve("s.parquet").toString();
        SPARK.session().createDataFrame(List.of(RowFactory.create("a", "red")),
                new StructType().add("id", DataTypes.StringType).add("colour", DataTypes.StringType)).write().parquet(p);
        assertMessage(ConfigException.class, () -> SparkTestSupport.readFile(SPARK.session(), p, 1, BERNOULLI),
                "has no numeric column and no vector or array columns; name the features with --features (its "
                        + "columns: id string, colour string)");
    }

    @Test
    void parquetWithAMissingValueIsReportedWithItsColumnAndRow() throws Exception {
        String p = dir.resolve("null.parquet").toString();
        SPARK.session().createDataFrame(List.of(RowFactory.create("r1", 0.5, 0.1), RowFactory.create("r2", 0.2, null)),
                new StructType().add("id", DataTypes.StringType).add("x", DataTypes.DoubleType)
                        .add("y", DataTypes.DoubleType, true)).write().parquet(p);
        assertMessage(DataException.class, () -> SparkTestSupport.readFile(SPARK.session(), p, 1, BERNOULLI),
                "null.parquet: row id=r2: column 'y' is null");
    }

    @Test
    void aTruncatedModelIsRefused() throws Exception {
        Path csv = write("m.csv", "0.1,0.2\n0.3,0.4\n");
        Path out = dir.resolve("m");
        TrainJob.run(SPARK.session(), config(Map.of("input", csv.toString(), "output", out.toString())));
        byte[] all = Files.readAllBytes(out.resolve("model.zip"));
        Path cut = Files.write(dir.resolve("cut.zip"), java.util.Arrays.copyOf(all, all.length / 2));
        assertMessage(DataException.class, () -> ModelStore.load(new org.apache.hadoop.fs.Path(cut.toString()),
                new org.apache.hadoop.conf.Configuration()), "cut.zip");
    }

    @Test
    void testSetOfAnotherWidthIsRefused() throws Exception {
        Path train = write("train.csv", "0.1,0.2\n0.3,0.4\n");
        Path test = write("test.csv", "0.1,0.2,0.3\n");
        assertMessage(DataException.class, () -> TrainJob.run(SPARK.session(), config(Map.of("input", train.toString(),
                "test", test.toString()))), "test rows have 3 values but training rows");
    }

    @Test
    void unwritableOutputIsRefusedBeforeReadingData() throws Exception {
        Path file = write("a-file", "x");
        assertMessage(ConfigException.class, () -> TrainJob.run(SPARK.session(), config(Map.of("input", "/nonexistent",
                "output", file.resolve("run").toString()))), "output:");
    }

    @Test
    void emptyPartitionsAreTrainedAround() throws Exception {
        Path csv = write("three.csv", "0.1,0.2\n0.3,0.4\n0.5,0.6\n");
        TrainJob.Outcome out = TrainJob.run(SPARK.session(), config(Map.of("input", csv.toString(), "test", csv.toString(),
                "partitions", "5", "batch-size", "2")));
        assertTrue(Double.isFinite(out.result().epochs().get(0).trainNegElbo()));
    }

    @Test
    void badRowsCanBeSkippedAndAreCountedInTheManifest() throws Exception {
        Path csv = write("mixed.csv", "0.1,0.2\n0.3,x\n0.5,0.6\n7,0.8\n0.9,1.0\n");
        Path out = dir.resolve("skipped");
        TrainJob.run(SPARK.session(), config(Map.of("input", csv.toString(), "test", "none", "bad-rows", "skip",
                "output", out.toString())));
        JsonNode train = new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("data").get("train");
        assertEquals(3, train.get("examples").asInt());
        assertEquals(2, train.get("skipped_rows").asInt());
        assertTrue(train.get("skipped_examples").toString().contains("holds 'x'"), train.toString());
    }

    @Test
    void aFailedRunLeavesNoFinishedOutputAndLatestUnchanged() throws Exception {
        Path good = write("good.csv", "0.1,0.2\n0.3,0.4\n");
        Path bad = write("bad.csv", "0.1,0.2\n0.3,NaN\n");
        Path root = dir.resolve("root");
        Map<String, String> base = Map.of("model-root", root.toString(), "test", good.toString());
        TrainJob.run(SPARK.session(), config(with(base, Map.of("input", good.toString(), "run-id", "ok"))));
        assertThrows(DataException.class,
                () -> TrainJob.run(SPARK.session(), config(with(base, Map.of("input", bad.toString(), "run-id", "broken")))));
        assertEquals("runs/ok", Files.readString(root.resolve("latest")).trim());
        assertFalse(Files.exists(root.resolve("runs/broken")), "no finished-looking directory");
    }

    @Test
    void aFileThatIsNotAModelIsRefused() throws Exception {
        Path junk = write("model.zip", "certainly not a zip");
        assertMessage(DataException.class, () -> ModelStore.load(new org.apache.hadoop.fs.Path(junk.toString()),
                new org.apache.hadoop.conf.Configuration()), "not a spark-vae model");
    }

    @Test
    void resumingWithOtherSettingsIsRefused() throws Exception {
        Checkpoints c = new Checkpoints(new org.apache.hadoop.fs.Path(dir.toString()), new org.apache.hadoop.conf.Configuration());
        TrainConfig original = config(Map.of());
        c.write(TrainingState.initial(new float[] {1f, 2f}, 0.001, ModelFeatures.UNNAMED), original);
        assertMessage(ConfigException.class, () -> c.latest(config(Map.of("hidden", "9"))),
                "was written with other settings: [hidden (checkpoint: 4, now: 9)]");
    }

    private ShardedData read(Path p) {
        return SparkTestSupport.readFile(SPARK.session(), p.toString(), 1, BERNOULLI);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private TrainConfig config(Map<String, String> opts) {
        Map<String, String> all = new HashMap<>(Map.of("epochs", "1", "hidden", "4", "latent-dim", "2",
                "test", "none"));
        if (!opts.containsKey("model-root")) {
            all.put("output", dir.resolve("out").toString());
        }
        all.putAll(opts);
        return TestConfigs.train(all);
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static <T extends Throwable> void assertMessage(Class<T> type, Executable run, String expected) {
        T e = assertThrows(type, run);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }
}
