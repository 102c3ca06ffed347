package com.sparkvae.job;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The first application of {@link CatalogTableIT}, in a JVM of its own, as a team's feature pipeline would be:
 * writes the visits table, partitioned by week, into the Hive catalog that its hive-site.xml names, and, when a
 * format's package is on its class path ({@code delta}), the same rows as a table of that format at a path.
 * Arguments: the number of rows, then optionally the format and its path.
 */
public final class CatalogFixture {
    private CatalogFixture() {
    }

    public static void main(String[] args) {
        SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("feature pipeline")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2").enableHiveSupport();
        if (args.length > 2 && args[1].toLowerCase(Locale.ROOT).equals("delta")) {
            builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            var visits = VisitsTable.frame(spark, Integer.parseInt(args[0]), 5);
            spark.sql("CREATE DATABASE IF NOT EXISTS clinic");
            visits.write().partitionBy("visit_date").saveAsTable("clinic.visits");
            if (args.length > 2) {
                visits.write().format(args[1]).partitionBy("visit_date").save(args[2]);
            }
        } finally {
            spark.stop();
        }
    }
}
