package com.sparkvae.job.data;

import com.sparkvae.job.InputFormat;
import com.sparkvae.job.InputSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * For bench/table-vs-idx.sh: an IDX file written as Parquet two ways, one float column per pixel
 * ({@code p000}..) and one array column ({@code pixels}), with an {@code id} column beside them, in file order.
 *   IdxToParquet IDX_FILE COLUMNS_OUT ARRAY_OUT
 */
public final class IdxToParquet {
    private IdxToParquet() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("idx to parquet")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            ShardedData d = new DataReader(spark).read(InputSpec.ofUri(args[0], InputFormat.IDX), 1, true, false);
            List<Row> rows = new ArrayList<>();
            long id = 0;
            for (RowBlock b : d.blocks().collect()) {
                for (int r = 0; r < b.rows(); r++) {
                    float[] v = java.util.Arrays.copyOfRange(b.values(), r * b.dim(), (r + 1) * b.dim());
                    Float[] boxed = new Float[v.length];
                    for (int j = 0; j < v.length; j++) {
                        boxed[j] = v[j];
                    }
                    rows.add(RowFactory.create(id++, boxed));
                }
            }
            Dataset<Row> arrays = spark.createDataFrame(rows, new StructType().add("id", DataTypes.LongType)
                    .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false)));
            arrays.coalesce(2).write().parquet(args[2]);
            List<Column> columns = new ArrayList<>(List.of(functions.col("id")));
            for (int j = 0; j < d.dim(); j++) {
                columns.add(functions.col("pixels").getItem(j).as(String.format("p%03d", j)));
            }
            arrays.select(columns.toArray(Column[]::new)).coalesce(2).write().parquet(args[1]);
        } finally {
            spark.stop();
        }
    }
}
