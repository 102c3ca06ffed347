package com.sparkvae.job.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.DataException;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.ScoreConfig;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.train.TrainJob;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** score and sample, with a model trained once on a slice of Fashion-MNIST. */
public class ModelCommandsTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static Path data;
    private static Path run;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() throws Exception {
        data = SparkTestSupport.fashionSubset(shared.resolve("d-idx3-ubyte.gz"), 600);
        run = shared.resolve("run");
        TrainJob.run(SPARK.session(), TestConfigs.train(Map.of("input", data.toString(), "test", data.toString(),
                "output", run.toString(), "epochs", "2", "hidden", "32", "latent-dim", "4")));
    }

    @Test
    void scoreWritesOneParquetRowPerInputRowReadableBySparkSql() throws Exception {
        Path out = dir.resolve("scores.parquet");
        long n = ScoreJob.run(SPARK.session(), score(Map.of("output", out.toString(), "samples", "16")));
        assertEquals(600, n);
        SPARK.session().read().parquet(out.toString()).createOrReplaceTempView("scores");
        Row stats = SPARK.session().sql("SELECT count(*), count(DISTINCT row_id), min(row_id), max(row_id), "
                + "avg(neg_elbo), avg(neg_log_likelihood), min(size(latent_mean)) FROM scores").first();
        assertEquals(600L, stats.getLong(0));
        assertEquals(600L, stats.getLong(1));
        assertEquals(0L, stats.getLong(2));
        assertEquals(599L, stats.getLong(3));
        assertTrue(stats.getDouble(5) < stats.getDouble(4),
                "the importance-sampled -log p(x) is tighter than the negative ELBO on average");
        assertEquals(4, stats.getInt(6));
    }

    @Test
    void theAnomalyScoreIsTheChosenTypeBesideTheLikelihood() throws Exception {
        Map<String, Dataset<Row>> byType = new HashMap<>();
        for (String type : List.of("excess", "nll", "recon")) {
            Path out = dir.resolve(type + ".parquet");
            ScoreJob.run(SPARK.session(), score(Map.of("output", out.toString(), "samples", "16", "score-type",
                    type, "partitions", "1")));
            byType.put(type, SPARK.session().read().parquet(out.toString()).orderBy("row_id"));
        }
        // A model without a threshold: no outlier column.
        assertEquals(List.of("row_id", "neg_elbo", "neg_log_likelihood", "latent_mean", "anomaly_score"),
                List.of(byType.get("excess").columns()));
        List<Row> excess = byType.get("excess").select("neg_log_likelihood", "anomaly_score").limit(5).collectAsList();
        List<Row> nll = byType.get("nll").select("neg_log_likelihood", "anomaly_score").limit(5).collectAsList();
        List<Row> recon = byType.get("recon").select("anomaly_score").limit(5).collectAsList();
        byte[] pixels = new byte[5 * 784];
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(
                Path.of("../data/fashion-mnist/train-images-idx3-ubyte.gz")))) {
            in.readNBytes(16);
            in.readNBytes(pixels, 0, pixels.length);
        }
        for (int i = 0; i < 5; i++) {
            double h = 0;   // H(x) of the grey levels as the job reads them, x = pixel / 255
            for (int d = 0; d < 784; d++) {
                double x = (pixels[i * 784 + d] & 0xff) / 255.0;
                h -= x > 0 && x < 1 ? x * Math.log(x) + (1 - x) * Math.log(1 - x) : 0;
            }
            assertTrue(h > 10, "Fashion-MNIST's grey levels cost nats of their own: " + h);
            assertEquals(excess.get(i).getDouble(0) - h, excess.get(i).getDouble(1), 1e-4 * h, "row " + i);
            assertEquals(nll.get(i).getDouble(0), nll.get(i).getDouble(1), 0.0, "row " + i);
            assertEquals(excess.get(i).getDouble(0), nll.get(i).getDouble(0), 0.0, "the same draws, row " + i);
            assertTrue(recon.get(i).getDouble(0) > 0, "no reconstruction codes x in fewer nats than H(x)");
        }
    }

    @Test
    void rowIdsFollowTheInputOrder() throws Exception {
        // Rows 0 and 1 of the input scored alone must get the scores rows 0 and 1 get in the whole file.
        Path two = SparkTestSupport.fashionSubset(dir.resolve("two-idx3-ubyte"), 2);
        Path whole = dir.resolve("whole.parquet");
        Path part = dir.resolve("part.parquet");
        ScoreJob.run(SPARK.session(), score(Map.of("output", whole.toString(), "partitions", "1")));
        ScoreJob.run(SPARK.session(), score(Map.of("output", part.toString(), "input", two.toString(), "partitions", "1")));
        List<Row> a = SPARK.session().read().parquet(whole.toString()).where("row_id < 2").orderBy("row_id")
                .select("latent_mean").collectAsList();
        List<Row> b = SPARK.session().read().parquet(part.toString()).orderBy("row_id").select("latent_mean").collectAsList();
        assertEquals(2, b.size());
        for (int i = 0; i < 2; i++) {
            List<Float> x = a.get(i).getList(0);
            List<Float> y = b.get(i).getList(0);
            for (int j = 0; j < x.size(); j++) {
                // Equal up to float rounding: BLAS blocks a 2-row product differently from a 256-row one.
                assertEquals(x.get(j), y.get(j), 1e-5, "row " + i);
            }
        }
    }

    @Test
    void choicesInAnyCaseAndBooleansWrittenYesTakeEffect() throws Exception {
        Path csv = dir.resolve("rows.csv");
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 3; r++) {
            for (int j = 0; j < 784; j++) {
                rows.append(j == 0 ? "" : ",").append((r + j) % 10 / 10.0);
            }
            rows.append('\n');
        }
        rows.append("not,a,row\n");
        java.nio.file.Files.writeString(csv, rows);
        Path out = dir.resolve("csv-scores.parquet");
        Map<String, String> opts = Map.of("input", csv.toString(), "output", out.toString(), "format", "CSV",
                "csv-header", "FALSE", "bad-rows", "SKIP");
        assertEquals(3, ScoreJob.run(SPARK.session(), score(opts)));
        Map<String, String> again = new HashMap<>(opts);
        again.put("overwrite", "yes");
        assertEquals(3, ScoreJob.run(SPARK.session(), score(again)));
        assertEquals(3, SPARK.session().read().parquet(out.toString()).count());
    }

    @Test
    void scoringDataOfAnotherWidthIsRefused() throws Exception {
        Path csv = dir.resolve("narrow.csv");
        java.nio.file.Files.writeString(csv, "0.1,0.2\n0.3,0.4\n");
        DataException e = assertThrows(DataException.class, () -> ScoreJob.run(SPARK.session(),
                score(Map.of("output", dir.resolve("x").toString(), "input", csv.toString()))));
        assertTrue(e.getMessage().contains("reads 784"), e.getMessage());
    }

    @Test
    void sampleDrawsAGridOfImages() throws Exception {
        Path png = dir.resolve("samples.png");
        SampleJob.run(new org.apache.hadoop.conf.Configuration(), TestConfigs.sample(Map.of("model", run.toString(), "output", png.toString(), "count", "16")));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(4 * (28 * 2 + 1) + 1, img.getWidth());
        assertEquals(img.getWidth(), img.getHeight());
    }

    @Test
    void trainingRunHoldsItsPictures() throws Exception {
        for (String name : List.of("elbo.png", "samples.png", "reconstructions.png")) {
            assertTrue(ImageIO.read(run.resolve(name).toFile()).getWidth() > 100, name);
        }
    }

    private static ScoreConfig score(Map<String, String> opts) {
        Map<String, String> all = new HashMap<>(Map.of("model", run.toString(), "input", data.toString()));
        all.putAll(opts);
        return TestConfigs.score(all);
    }
}
