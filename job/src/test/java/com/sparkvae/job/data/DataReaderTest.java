package com.sparkvae.job.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.CsvHeader;
import com.sparkvae.job.DataException;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.model.Likelihood;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every reader yields the same rows, split into the requested number of shards, on a real local Spark. */
public class DataReaderTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static final Likelihood BERNOULLI = new Likelihood.Bernoulli();
    private static final Likelihood GAUSSIAN = new Likelihood.Gaussian(true, 0);

    @TempDir
    Path dir;

    @Test
    void gzippedAndPlainIdxGiveTheSameScaledRows() throws Exception {
        Path gz = SparkTestSupport.fashionSubset(dir.resolve("a-idx3-ubyte.gz"), 300);
        Path plain = SparkTestSupport.fashionSubset(dir.resolve("a-idx3-ubyte"), 300);
        ShardedData a = read(gz.toString(), 3, BERNOULLI);
        ShardedData b = read(plain.toString(), 3, BERNOULLI);
        assertEquals(300, a.size());
        assertArrayEquals(new long[] {100, 100, 100}, a.shardSizes());
        assertEquals(784, a.dim());
        float[] rowsA = allRows(a);
        assertArrayEquals(rowsA, allRows(b));
        float max = 0;
        for (float v : rowsA) {
            max = Math.max(max, v);
        }
        assertEquals(1.0f, max, "unsigned bytes are scaled to [0, 1]");
    }

    @Test
    void csvWithAndWithoutHeaderGiveTheSameRows() throws Exception {
        Files.writeString(dir.resolve("h.csv"), "a,b,c\n0.1,0.2,0.3\n0.4,0.5,0.6\n0.7,0.8,0.9\n");
        Files.writeString(dir.resolve("n.csv"), "0.1,0.2,0.3\n0.4,0.5,0.6\n0.7,0.8,0.9\n");
        ShardedData h = read(dir.resolve("h.csv").toString(), 2, BERNOULLI);
        ShardedData n = read(dir.resolve("n.csv").toString(), 2, BERNOULLI);
        assertEquals(3, h.size());
        assertEquals(3, h.dim());
        assertArrayEquals(sorted(allRows(n)), sorted(allRows(h)));
    }

    @Test
    void parquetNumericColumnsAndArrayColumnGiveTheSameRows() throws Exception {
        List<Row> rows = new ArrayList<>();
        List<Row> arrays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(RowFactory.create(i * 1.0, i * 2.0f, i));
            arrays.add(RowFactory.create((Object) new double[] {i * 1.0, i * 2.0, i}));
        }
        StructType columns = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.FloatType)
                .add("z", DataTypes.IntegerType);
        StructType array = new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType));
        String p1 = dir.resolve("cols.parquet").toString();
        String p2 = dir.resolve("array.parquet").toString();
        SPARK.session().createDataFrame(rows, columns).write().parquet(p1);
        SPARK.session().createDataFrame(arrays, array).write().parquet(p2);
        ShardedData a = read(p1, 2, GAUSSIAN);
        ShardedData b = read(p2, 2, GAUSSIAN);
        assertEquals(10, a.size());
        assertEquals(3, a.dim());
        assertArrayEquals(sorted(allRows(a)), sorted(allRows(b)));
    }

    @Test
    void valuesOutsideTheUnitIntervalAreRefusedUnderBernoulli() throws Exception {
        Files.writeString(dir.resolve("big.csv"), "0.5,2.0\n");
        DataException e = assertThrows(DataException.class,
                () -> read(dir.resolve("big.csv").toString(), 1, BERNOULLI));
        assertTrue(e.getMessage().contains("outside [0, 1]"), e.getMessage());
        assertEquals(1, read(dir.resolve("big.csv").toString(), 1, GAUSSIAN).size());
    }

    @Test
    void missingInputIsReportedByName() {
        String missing = dir.resolve("nothing-here.csv").toString();
        DataException e = assertThrows(DataException.class, () -> read(missing, 1, BERNOULLI));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        String nameless = dir.resolve("no-such-file").toString();
        DataException f = assertThrows(DataException.class, () -> read(nameless, 1, BERNOULLI));
        assertTrue(f.getMessage().endsWith("no-such-file: no such file or directory"),
                "missing, whatever its name says of its format: " + f.getMessage());
    }

    @Test
    void truncatedIdxIsRefusedWithItsByteCounts() throws Exception {
        Path file = SparkTestSupport.fashionSubset(dir.resolve("t-idx3-ubyte"), 10);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 100));
        DataException e = assertThrows(DataException.class, () -> read(file.toString(), 1, BERNOULLI));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    private static ShardedData read(String uri, int partitions, Likelihood likelihood) {
        return SparkTestSupport.readFile(SPARK.session(), uri, partitions, likelihood);
    }

    private static float[] allRows(ShardedData d) {
        List<RowBlock> blocks = d.blocks().collect();
        int total = blocks.stream().mapToInt(b -> b.values().length).sum();
        float[] out = new float[total];
        int at = 0;
        for (RowBlock b : blocks) {
            System.arraycopy(b.values(), 0, out, at, b.values().length);
            at += b.values().length;
        }
        return out;
    }

    private static float[] sorted(float[] v) {
        float[] c = v.clone();
        java.util.Arrays.sort(c);
        return c;
    }
}
