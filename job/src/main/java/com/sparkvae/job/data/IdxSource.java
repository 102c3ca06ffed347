package com.sparkvae.job.data;

import com.sparkvae.job.DataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/** An IDX file: each partition reads its own range of examples straight into blocks ({@link IdxPartitionReader}). */
final class IdxSource implements RowSource {
    private final JavaSparkContext jsc;
    private final IdxHeader header;
    private final Configuration conf;

    private IdxSource(JavaSparkContext jsc, IdxHeader header, Configuration conf) {
        this.jsc = jsc;
        this.header = header;
        this.conf = conf;
    }

    /** Reads the header on the driver: a file that is not IDX, or announces no examples, fails here. */
    static IdxSource open(JavaSparkContext jsc, String uri) {
        Configuration conf = jsc.hadoopConfiguration();
        IdxHeader header;
        try {
            header = IdxHeader.read(uri, conf);
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (header.examples() == 0) {
            throw new DataException(uri + ": the IDX header announces 0 examples");
        }
        return new IdxSource(jsc, header, conf);
    }

    @Override
    public List<String> featureNames() {
        return List.of();
    }

    @Override
    public JavaRDD<RowBlock> blocks(int partitions, BadRows bad) {
        // Broadcast once: the cached shards keep this read in their lineage, and every task of every training round
        // deserialises its lineage; a Hadoop Configuration inside the closure itself would be deserialised every round.
        Broadcast<HadoopConf> shipped = jsc.broadcast(new HadoopConf(conf));
        int shards = partitions == 0 ? jsc.defaultParallelism() : partitions;
        List<long[]> ranges = new ArrayList<>();
        for (int p = 0; p < shards; p++) {
            ranges.add(new long[] {header.examples() * p / shards, header.examples() * (p + 1) / shards});
        }
        IdxHeader h = header;
        return jsc.parallelize(ranges, shards)
                .flatMap(r -> IdxPartitionReader.read(h, shipped.value(), r[0], r[1], bad).iterator());
    }
}
