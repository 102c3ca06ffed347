package com.sparkvae.job.cluster;

import com.sparkvae.model.LossSums;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * What a round costs in Spark alone, in local mode: the job's round with the training taken out. Each round
 * broadcasts a vector (as {@link RoundInput}), runs one task per partition that returns a copy of it (as
 * {@link ReplicaSum}), merges the results on the driver ({@link PartitionSums}), takes the mean and destroys the
 * broadcast. Prints the mean wall time of the first 100 rounds, when Spark's per-job code still runs in the
 * interpreter or C1's profiled code, and of the rounds after them.
 *
 * <pre>  SparkRoundCost [rounds (default 300)] [floats per vector (default 1958472, the default model with Adam)]
 *                 [partitions (default 2)]</pre>
 */
public final class SparkRoundCost {
    private static final int COLD_ROUNDS = 100;

    private SparkRoundCost() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int floats = args.length > 1 ? Integer.parseInt(args[1]) : 1_958_472;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        if (rounds <= COLD_ROUNDS) {
            throw new IllegalArgumentException("need more than " + COLD_ROUNDS + " rounds, got " + rounds);
        }
        SparkConf conf = new SparkConf().setMaster("local[" + partitions + "]").setAppName("spark-round-cost")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1");
        SparkSession spark = SparkSession.builder().config(SparkDefaults.forRounds(conf)).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaRDD<Integer> rdd = sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), partitions).cache();
            rdd.count();
            float[] vector = new float[floats];
            long[] nanos = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                Broadcast<RoundInput> input = sc.broadcast(new RoundInput(vector, r, new double[] {0.001}));
                try {
                    ReplicaSum sum = PartitionSums.sum(rdd,
                            (p, rows) -> ReplicaSum.of(input.value().vector().clone(), 1, LossSums.ZERO, 0, 0),
                            ReplicaSum.empty(), ReplicaSum::merge, 2, ReplicaSum.class);
                    vector = sum.mean();
                } finally {
                    input.destroy();
                }
                nanos[r] = System.nanoTime() - start;
            }
            System.out.printf("%d floats each way, %d partitions: %.1f ms a round over the first %d rounds, "
                            + "%.1f ms over the %d after them%n", floats, partitions,
                    meanMillis(nanos, 0, COLD_ROUNDS), COLD_ROUNDS, meanMillis(nanos, COLD_ROUNDS, rounds),
                    rounds - COLD_ROUNDS);
        } finally {
            spark.stop();
        }
    }

    private static double meanMillis(long[] nanos, int from, int to) {
        return Arrays.stream(nanos, from, to).average().orElse(0) / 1e6;
    }
}
