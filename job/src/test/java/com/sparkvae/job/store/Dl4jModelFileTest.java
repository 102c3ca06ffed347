package com.sparkvae.job.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.ElboGradient;
import com.sparkvae.model.GaussianNoise;
import com.sparkvae.model.HostArrays;
import com.sparkvae.model.ParameterLayout;
import com.sparkvae.model.VaeParameters;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.VariationalAutoencoderParamInitializer;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * model.zip loads in DL4J as a network with a VariationalAutoencoder layer whose encoder means, KL term and decoder
 * outputs equal the job's own within float tolerance.
 */
public class Dl4jModelFileTest {
    @TempDir
    Path dir;

    @Test
    void bernoulliModelLoadsInDl4jAndComputesTheSame() throws Exception {
        check(Map.of("hidden", "12,8", "latent-dim", "3", "activation", "tanh"));
    }

    @Test
    void gaussianModelWithLearnedVarianceLoadsInDl4jAndComputesTheSame() throws Exception {
        check(Map.of("hidden", "10", "latent-dim", "2", "likelihood", "gaussian", "activation", "elu"));
    }

    private void check(Map<String, String> options) throws Exception {
        TrainConfig cfg = TestConfigs.train(options);
        int d = 7;
        Architecture arch = cfg.architecture(d);
        float[] params = HostArrays.toFloatArray(VaeParameters.initialise(arch, 5, DataType.FLOAT).flat());
        if (arch.likelihood() instanceof com.sparkvae.model.Likelihood.Gaussian) {
            // A non-trivial learned log-variance, so the test sees where it lands.
            long at = new ParameterLayout(arch).observationLogVarianceOffset();
            for (int j = 0; j < d; j++) {
                params[(int) at + j] = 0.1f * j - 0.3f;
            }
        }
        Path file = dir.resolve("model.zip");
        ModelStore.save(new org.apache.hadoop.fs.Path(file.toString()), new Configuration(), cfg, d, params,
                ModelFeatures.UNNAMED);

        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile());
        org.deeplearning4j.nn.layers.variational.VariationalAutoencoder vae =
                (org.deeplearning4j.nn.layers.variational.VariationalAutoencoder) net.getLayer(0);
        VaeParameters ours = new VaeParameters(new ParameterLayout(arch), Nd4j.createFromArray(params));
        ElboGradient elbo = new ElboGradient(arch, 5, DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, d);
        INDArray[] encoded = elbo.encode(ours, x);

        // Encoder means: DL4J's layer activation is the mean of q(t|x).
        INDArray dl4jMean = net.output(x);
        assertArrayEquals(encoded[0].ravel().toFloatVector(), dl4jMean.ravel().toFloatVector(), 1e-5f);

        // KL term: DL4J's encoder run with its log-variance head in the mean head's place gives log s².
        MultiLayerNetwork swapped = net.clone();
        swapped.getLayer(0).setParam(VariationalAutoencoderParamInitializer.PZX_MEAN_W,
                vae.getParam(VariationalAutoencoderParamInitializer.PZX_LOGSTD2_W));
        swapped.getLayer(0).setParam(VariationalAutoencoderParamInitializer.PZX_MEAN_B,
                vae.getParam(VariationalAutoencoderParamInitializer.PZX_LOGSTD2_B));
        INDArray dl4jLogVar = swapped.output(x);
        double dl4jKl = 0.5 * (Transforms.exp(dl4jLogVar, true).sumNumber().doubleValue()
                + dl4jMean.mul(dl4jMean).sumNumber().doubleValue() - dl4jLogVar.length()
                - dl4jLogVar.sumNumber().doubleValue());
        double ourKl = elbo.evaluate(ours, x, new GaussianNoise(new SplittableRandom(1))).kl();
        assertEquals(ourKl, dl4jKl, 1e-4 * Math.max(1, Math.abs(ourKl)));

        // Decoder: DL4J's mean of p(x|t) at given t equals our decoder output through the likelihood's link.
        INDArray t = Nd4j.rand(DataType.FLOAT, 5, arch.latentDim());
        INDArray ourOut = elbo.decode(ours, t);
        INDArray expected = arch.likelihood() instanceof com.sparkvae.model.Likelihood.Bernoulli
                ? Transforms.sigmoid(ourOut, true) : ourOut;
        assertArrayEquals(expected.ravel().toFloatVector(), vae.generateAtMeanGivenZ(t).ravel().toFloatVector(), 1e-5f);

        // And the job reads its own entries of the same file back unchanged.
        assertArrayEquals(params, ModelStore.load(new org.apache.hadoop.fs.Path(file.toString()),
                new Configuration()).parameters());
    }
}
