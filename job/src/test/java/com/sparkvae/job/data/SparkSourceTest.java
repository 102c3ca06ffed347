package com.sparkvae.job.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.CsvHeader;
import com.sparkvae.job.DataException;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.InputSpec;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.VisitsTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables and Spark data sources as teams keep them: feature columns by name or glob beside ID, date and string
 * columns, filters applied as the rows are read, nulls, and every mistake refused in one line before any task runs.
 */
public class SparkSourceTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static final int ROWS = 400;

    @TempDir
    static Path shared;
    private static String partitioned;

    @BeforeAll
    static void writeTheTable() {
        Dataset<Row> visits = VisitsTable.frame(SPARK.session(), ROWS, 7);
        partitioned = shared.resolve("visits.parquet").toString();
        visits.write().partitionBy("visit_date").parquet(partitioned);
        visits.write().saveAsTable("visits");
    }

    @Test
    void byDefaultEveryNumericColumnIsAFeatureAndTheOthersAreIgnored() {
        SparkSource s = SparkSource.open(SPARK.session(), table("visits"));
        assertEquals(VisitsTable.MEASUREMENTS, s.featureNames().size());
        assertEquals("m_00", s.featureNames().get(0));
        assertEquals(List.of("patient_id", "visit_date", "site"), s.features().identity());
    }

    @Test
    void featuresAreChosenByNameAndGlobInTheOrderGiven() {
        SparkSource s = SparkSource.open(SPARK.session(), table("visits").withFeatures(List.of("M_29", "m_0*")));
        assertEquals("m_29", s.featureNames().get(0), "names match case-insensitively, as Spark SQL's do");
        assertEquals(11, s.featureNames().size());
        assertEquals("m_09", s.featureNames().get(10));
    }

    @Test
    void aMissingOrNonNumericFeatureColumnIsRefusedNamingItAndTheTablesColumns() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> SparkSource.open(SPARK.session(), table("visits").withFeatures(List.of("m_00", "weight"))));
        assertTrue(missing.getMessage().startsWith("features: no column 'weight' in table visits (its columns: "
                + "patient_id string, visit_date date, site string, m_00 double, m_01 double,"), missing.getMessage());
        ConfigException text = assertThrows(ConfigException.class,
                () -> SparkSource.open(SPARK.session(), table("visits").withFeatures(List.of("site"))));
        assertTrue(text.getMessage().startsWith("features: column 'site' of table visits is string, not numeric "
                + "(its columns: patient_id string"), text.getMessage());
        ConfigException glob = assertThrows(ConfigException.class,
                () -> SparkSource.open(SPARK.session(), table("visits").withFeatures(List.of("x_*"))));
        assertTrue(glob.getMessage().startsWith("features: 'x_*' matches no numeric column of table visits"),
                glob.getMessage());
    }

    @Test
    void aVectorOrArrayColumnIsTheFeaturesWhenItIsTheOnlyOne() {
        Dataset<Row> arrays = SPARK.session().table("visits").select(functions.col("patient_id"),
                functions.array(functions.col("m_00"), functions.col("m_05"), functions.col("m_02")).as("x"));
        arrays.createOrReplaceTempView("arrays");
        SparkSource s = SparkSource.open(SPARK.session(), table("arrays"));
        assertEquals(List.of("x"), s.featureNames());
        assertTrue(s.features().vector());
        ShardedData d = new DataReader(SPARK.session()).read(table("arrays").withBadRows(BadRowPolicy.SKIP), 2, false,
                false);
        assertEquals(3, d.dim());
        assertTrue(d.size() < ROWS && d.size() > ROWS - 10, "rows with a null element skipped: " + d.size());
        d.unpersist();
    }

    @Test
    void aFilterPrunesPartitionsAsTheRowsAreRead() {
        InputSpec lastWeek = files(partitioned, "parquet", "visit_date >= '2026-11-30'");
        SparkSource s = SparkSource.open(SPARK.session(), lastWeek);
        String plan = s.rows().queryExecution().executedPlan().toString();
        assertTrue(plan.matches("(?s).*PartitionFilters: \\[[^\\]]*visit_date[^\\]]*2026-11-30.*"), plan);
        ShardedData d = new DataReader(SPARK.session()).read(lastWeek.withBadRows(BadRowPolicy.IMPUTE), 2, false,
                true);
        assertEquals(ROWS / 4, d.size());
        assertEquals(VisitsTable.MEASUREMENTS, d.dim());
        d.unpersist();
    }

    @Test
    void aFilterThatDoesNotParseOrApplyIsRefusedInOneLine() {
        ConfigException parse = assertThrows(ConfigException.class, () -> SparkSource.open(SPARK.session(),
                files(partitioned, "parquet", "visit_date >>= 3")));
        assertTrue(parse.getMessage().startsWith("where: cannot filter " + partitioned + " by 'visit_date >>= 3': "),
                parse.getMessage());
        assertTrue(!parse.getMessage().contains("\n"), parse.getMessage());
        ConfigException column = assertThrows(ConfigException.class, () -> SparkSource.open(SPARK.session(),
                files(partitioned, "parquet", "visit_day = '2026-11-30'")));
        assertTrue(column.getMessage().contains("visit_day"), column.getMessage());
    }

    @Test
    void aFilterThatKeepsNoRowsIsReported() {
        DataException e = assertThrows(DataException.class, () -> new DataReader(SPARK.session())
                .read(files(partitioned, "parquet", "site = 'west'"), 2, false, false));
        assertEquals(partitioned + " (where site = 'west'): no rows pass the filter", e.getMessage());
    }

    @Test
    void aMissingTableIsReportedInOneLine() {
        DataException e = assertThrows(DataException.class, () -> SparkSource.open(SPARK.session(),
                table("no_such_table")));
        assertTrue(e.getMessage().startsWith("input-table: cannot read table 'no_such_table': "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(this application's catalog is Spark's in-memory one: a Hive metastore "
                + "needs Spark's Hive classes and its hive-site.xml)"), e.getMessage());
    }

    @Test
    void aNullFeatureFailsNamingItsColumnAndRowOrIsSkippedOrImputed() {
        DataException e = assertThrows(DataException.class, () -> new DataReader(SPARK.session())
                .read(table("visits"), 2, false, false));
        assertTrue(e.getMessage().matches("table visits: row patient_id=P\\d{5}, visit_date=2026-11-\\d\\d, "
                + "site=\\w+: column 'm_(05|17)' is null \\(--bad-rows skip leaves such rows out, --bad-rows impute "
                + "fills in the training mean\\)"), e.getMessage());
        ShardedData skipped = new DataReader(SPARK.session()).read(table("visits").withBadRows(BadRowPolicy.SKIP), 2,
                false, false);
        ShardedData imputed = new DataReader(SPARK.session()).read(table("visits").withBadRows(BadRowPolicy.IMPUTE),
                2, false, true);
        assertEquals(ROWS, skipped.size() + skipped.skippedRows());
        assertTrue(skipped.skippedRows() > 0);
        assertEquals(ROWS, imputed.size());
        assertTrue(imputed.imputedValues() >= skipped.skippedRows());
        ColumnStats stats = imputed.stats().orElseThrow();
        assertEquals(ROWS - 0, stats.count(0));
        assertTrue(stats.count(5) < ROWS, "missing values are left out of the mean");
        skipped.unpersist();
        imputed.unpersist();
    }

    @Test
    void orcAndJsonReadThroughFormatLikeParquet() {
        Dataset<Row> week = SPARK.session().read().parquet(partitioned).where("visit_date = '2026-11-09'");
        String orc = shared.resolve("week.orc").toString();
        String json = shared.resolve("week.json").toString();
        week.write().orc(orc);
        week.write().json(json);
        InputSpec parquetSpec = files(partitioned, "parquet", "visit_date = '2026-11-09'")
                .withBadRows(BadRowPolicy.SKIP);
        long fingerprint = read(parquetSpec).fingerprint();
        for (String[] source : new String[][] {{orc, "orc"}, {json, "json"}, {orc, "auto"}}) {
            InputSpec spec = files(source[0], source[1], null).withBadRows(BadRowPolicy.SKIP);
            assertEquals(fingerprint, read(spec).fingerprint(), source[1] + " reads the same rows");
        }
    }

    private static ShardedData read(InputSpec spec) {
        ShardedData d = new DataReader(SPARK.session()).read(spec, 0, false, false);
        d.unpersist();
        return d;
    }

    private static InputSpec table(String name) {
        return new InputSpec("input", Optional.empty(), Optional.of(name), InputFormat.AUTO, Map.of(),
                Optional.empty(), Optional.empty(), CsvHeader.AUTO, BadRowPolicy.FAIL);
    }

    private static InputSpec files(String uri, String format, String where) {
        return new InputSpec("input", Optional.of(uri), Optional.empty(), new InputFormat(format), Map.of(),
                Optional.ofNullable(where), Optional.empty(), CsvHeader.AUTO, BadRowPolicy.FAIL);
    }
}
