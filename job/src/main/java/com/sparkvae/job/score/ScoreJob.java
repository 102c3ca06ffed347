package com.sparkvae.job.score;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.ScoreConfig;
import com.sparkvae.job.cluster.SharedStorage;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.RowBlock;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.ModelLocation;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.GaussianNoise;
import com.sparkvae.model.HostArrays;
import com.sparkvae.model.ParameterLayout;
import com.sparkvae.model.RandomStreams;
import com.sparkvae.model.RowScorer;
import com.sparkvae.model.VaeParameters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code score}: per row of the input, its row id (its position in the input), the negative ELBO, an
 * importance-sampled estimate of −log p(x) and the latent mean m(x), written as Parquet (see {@link RowScorer}).
 */
public final class ScoreJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    static final StructType SCHEMA = new StructType()
            .add("row_id", DataTypes.LongType, false)
            .add("neg_elbo", DataTypes.DoubleType, false)
            .add("neg_log_likelihood", DataTypes.DoubleType, false)
            .add("latent_mean", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private ScoreJob() {
    }

    public static long run(SparkSession spark, ScoreConfig cfg) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path modelFile = ModelLocation.resolve(cfg.model(), "model", hadoop);
        ModelStore.SavedModel model = ModelStore.load(modelFile, hadoop);
        Architecture arch = model.architecture();
        String output = cfg.output();
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
        if (out.getFileSystem(hadoop).exists(out) && !cfg.overwrite()) {
            throw new ConfigException("output: " + output + " exists; choose another --output or add --overwrite");
        }
        int partitions = cfg.partitions();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SharedStorage.requireVisibleToExecutors(jsc, "input", cfg.input());
        SharedStorage.requireWritableByExecutors(jsc, "output", output, hadoop);
        ShardedData data = new DataReader(spark, cfg.format(), cfg.csvHeader(), cfg.badRows())
                .read(cfg.input(), partitions, arch.likelihood());
        try {
            if (data.dim() != arch.inputDim()) {
                throw new DataException(cfg.input() + ": rows have " + data.dim() + " values but the model "
                        + modelFile + " reads " + arch.inputDim());
            }
            long[] offsets = new long[data.partitions()];
            for (int p = 1; p < offsets.length; p++) {
                offsets[p] = offsets[p - 1] + data.shardSizes()[p - 1];
            }
            int samples = cfg.samples();
            long seed = cfg.seed();
            Broadcast<float[]> params = jsc.broadcast(model.parameters());
            try {
                LOG.info("scoring {} rows of {} with {} ({} importance samples per row)", data.size(),
                        cfg.input(), modelFile, samples);
                jsc.setJobDescription("spark-vae score " + cfg.input());
                JavaRDD<Row> rows = data.blocks().mapPartitionsWithIndex(
                        (p, it) -> scorePartition(it, arch, params, offsets[p], samples, seed, p), true);
                spark.createDataFrame(rows, SCHEMA).write()
                        .mode(cfg.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                        .parquet(output);
            } finally {
                params.destroy();
            }
            LOG.info("scores written to {}", output);
            return data.size();
        } finally {
            data.unpersist();
        }
    }

    private static Iterator<Row> scorePartition(Iterator<RowBlock> blocks, Architecture arch, Broadcast<float[]> params,
                                                long firstRowId, int samples, long seed, int partition) {
        RowScorer scorer = new RowScorer(arch, 256);
        VaeParameters p = VaeParameters.copyOf(new ParameterLayout(arch), params.value());
        GaussianNoise noise = new GaussianNoise(RandomStreams.stream(seed, RandomStreams.Purpose.SCORING, 0, partition, 0));
        List<Row> out = new ArrayList<>();
        long rowId = firstRowId;
        float[] staging = new float[scorer.capacity() * arch.inputDim()];
        while (blocks.hasNext()) {
            RowBlock b = blocks.next();
            for (int start = 0; start < b.rows(); start += scorer.capacity()) {
                int count = Math.min(scorer.capacity(), b.rows() - start);
                System.arraycopy(b.values(), start * b.dim(), staging, 0, count * b.dim());
                INDArray x = Nd4j.create(DataType.FLOAT, count, b.dim());
                HostArrays.copyInto(staging, 0, count * b.dim(), x);
                RowScorer.Scores s = scorer.score(p, x, samples, noise);
                for (int i = 0; i < count; i++) {
                    out.add(RowFactory.create(rowId++, s.negElbo()[i], s.negLogLikelihood()[i], boxed(s.latentMean()[i])));
                }
            }
        }
        return out.iterator();
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
