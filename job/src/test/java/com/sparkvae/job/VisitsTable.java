package com.sparkvae.job;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A table as teams keep one: {@code patient_id} (string), {@code visit_date} (date, four weeks), {@code site}
 * (string), and 30 numeric measurements {@code m_00}..{@code m_29} driven by three hidden factors, on scales from
 * 0.001 to 4,000, with about one value in 200 of {@code m_05} and {@code m_17} missing (null).
 */
public final class VisitsTable {
    public static final int MEASUREMENTS = 30;
    public static final List<LocalDate> WEEKS = List.of(LocalDate.of(2026, 11, 9), LocalDate.of(2026, 11, 16),
            LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 30));

    private VisitsTable() {
    }

    public static StructType schema() {
        StructType s = new StructType()
                .add("patient_id", DataTypes.StringType, false)
                .add("visit_date", DataTypes.DateType, false)
                .add("site", DataTypes.StringType, false);
        for (int j = 0; j < MEASUREMENTS; j++) {
            s = s.add(String.format("m_%02d", j), DataTypes.DoubleType, true);
        }
        return s;
    }

    /** {@code rows} visits, spread evenly over the four weeks, from {@code seed}. */
    public static Dataset<Row> frame(SparkSession spark, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] loading = new double[MEASUREMENTS][3];
        for (double[] l : loading) {
            for (int k = 0; k < 3; k++) {
                l[k] = random.nextDouble(-1, 1);
            }
        }
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double[] factor = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            Object[] row = new Object[3 + MEASUREMENTS];
            row[0] = String.format("P%05d", i);
            row[1] = Date.valueOf(WEEKS.get(i % WEEKS.size()));
            row[2] = i % 3 == 0 ? "north" : "south";
            for (int j = 0; j < MEASUREMENTS; j++) {
                double scale = Math.pow(10, -3 + 6.6 * j / (MEASUREMENTS - 1));   // 0.001 to about 4,000
                double z = 0.1 * random.nextGaussian();
                for (int k = 0; k < 3; k++) {
                    z += loading[j][k] * factor[k];
                }
                boolean missing = (j == 5 || j == 17) && random.nextInt(200) == 0;
                row[3 + j] = missing ? null : scale * (2 + z);
            }
            out.add(RowFactory.create(row));
        }
        return spark.createDataFrame(out, schema());
    }
}
