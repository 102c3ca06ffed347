package com.sparkvae.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.LocalSpark;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A round's sum over partitions: every partition's result counted once, on the driver or through the tree. */
public class PartitionSumsTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SPARK.context();
    }

    @Test
    void fewPartitionsAreMergedOnTheDriverEachOnce() {
        assertFalse(PartitionSums.treeAddsLevel(3, 2));
        assertEquals(weightedSum(3), sum(3, 2));
    }

    @Test
    void manyPartitionsGoThroughTreeAggregateEachOnce() {
        assertTrue(PartitionSums.treeAddsLevel(12, 2));
        assertEquals(weightedSum(12), sum(12, 2));
    }

    @Test
    void depthOneMergesEveryPartitionOnTheDriver() {
        assertFalse(PartitionSums.treeAddsLevel(12, 1));
        assertEquals(weightedSum(12), sum(12, 1));
    }

    @Test
    void theDriverMergesInPartitionOrderWhateverOrderTheTasksEndIn() {
        // Lower partitions finish later; concatenation, unlike a sum, shows the order of the merges.
        JavaRDD<Integer> rdd = sc.parallelize(List.of(0, 1, 2, 3), 4);
        ArrayList<Integer> order = PartitionSums.sum(rdd, (p, rows) -> {
            sleep(150L * (3 - p));
            return new ArrayList<>(List.of(p));
        }, new ArrayList<>(), (a, b) -> {
            a.addAll(b);
            return a;
        }, 2, listClass());
        assertEquals(List.of(0, 1, 2, 3), order);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<ArrayList<Integer>> listClass() {
        return (Class<ArrayList<Integer>>) (Class<?>) ArrayList.class;
    }

    @Test
    void treeAddsALevelExactlyWhenSparksTreeAggregateWould() {
        // RDD.treeAggregate: scale = max(ceil(P^(1/depth)), 2); a level while P > scale + ceil(P / scale).
        assertFalse(PartitionSums.treeAddsLevel(2, 2));
        assertFalse(PartitionSums.treeAddsLevel(5, 2));
        assertTrue(PartitionSums.treeAddsLevel(6, 2));
        assertTrue(PartitionSums.treeAddsLevel(128, 3));
        assertFalse(PartitionSums.treeAddsLevel(128, 1));
    }

    /** Each partition p contributes (p + 1) × its row sum: a sum that shows a partition missed or counted twice. */
    private static double sum(int partitions, int depth) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < 10 * partitions; i++) {
            rows.add(i);
        }
        JavaRDD<Integer> rdd = sc.parallelize(rows, partitions);
        return PartitionSums.sum(rdd, PartitionSumsTest::weightedRowSum, 0.0, Double::sum, depth, Double.class);
    }

    private static Double weightedRowSum(int partition, Iterator<Integer> rows) {
        double s = 0;
        while (rows.hasNext()) {
            s += rows.next();
        }
        return (partition + 1) * s;
    }

    private static double weightedSum(int partitions) {
        double s = 0;
        for (int p = 0; p < partitions; p++) {
            for (int i = 10 * p; i < 10 * (p + 1); i++) {
                s += (p + 1) * (double) i;
            }
        }
        return s;
    }
}
