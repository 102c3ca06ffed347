package com.sparkvae.job.store;

import com.sparkvae.model.Architecture;
import com.sparkvae.model.DenseSlot;
import com.sparkvae.model.Likelihood;
import com.sparkvae.model.ParameterLayout;
import com.sparkvae.model.VaeParameters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.GaussianReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.ReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.VariationalAutoencoderParamInitializer;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The trained VAE as a DL4J {@code MultiLayerNetwork} holding one {@code VariationalAutoencoder} layer, so DL4J
 * applications can load {@code model.zip} with {@code ModelSerializer.restoreMultiLayerNetwork} and call
 * {@code reconstructionLogProbability} or {@code generateAtMeanGivenZ}.
 *
 * <p>The mapping: encoder layer i → {@code e<i>W/b}; mean head → {@code pZXMeanW/b}; log-variance head →
 * {@code pZXLogStd2W/b} (DL4J's "log σ²" is our log s²); decoder layer i → {@code d<i>W/b}; output layer →
 * {@code pXZW/b}. Bernoulli: DL4J applies a sigmoid to our logits. Gaussian: DL4J's decoder emits a mean and a
 * log-variance per feature from the last hidden layer, ours a learned (or fixed) per-feature log-variance that does
 * not depend on t; it becomes the bias of DL4J's log-variance half, with zero weights.
 */
public final class Dl4jExport {
    private Dl4jExport() {
    }

    static MultiLayerNetwork toNetwork(Architecture arch, float[] parameters) {
        ParameterLayout layout = new ParameterLayout(arch);
        VaeParameters p = VaeParameters.copyOf(layout, parameters);
        int[] encoder = arch.hidden().stream().mapToInt(Integer::intValue).toArray();
        int[] decoder = layout.decoder().stream().mapToInt(DenseSlot::out).toArray();
        ReconstructionDistribution distribution = arch.likelihood() instanceof Likelihood.Bernoulli
                ? new BernoulliReconstructionDistribution(Activation.SIGMOID)
                : new GaussianReconstructionDistribution(Activation.IDENTITY);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(0, new VariationalAutoencoder.Builder()
                        .nIn(arch.inputDim()).nOut(arch.latentDim())
                        .encoderLayerSizes(encoder).decoderLayerSizes(decoder)
                        .activation(activation(arch))
                        .pzxActivationFunction(Activation.IDENTITY)
                        .reconstructionDistribution(distribution)
                        .numSamples(arch.samples())
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Layer vae = net.getLayer(0);
        List<DenseSlot> enc = layout.encoder();
        for (int i = 0; i < enc.size(); i++) {
            set(vae, "e" + i, p, enc.get(i));
        }
        set(vae, "pZXMean", p, layout.meanHead());
        set(vae, "pZXLogStd2", p, layout.logVarianceHead());
        List<DenseSlot> dec = layout.decoder();
        for (int i = 0; i < dec.size(); i++) {
            set(vae, "d" + i, p, dec.get(i));
        }
        DenseSlot out = layout.output();
        if (arch.likelihood() instanceof Likelihood.Gaussian gaussian) {
            int d = arch.inputDim();
            INDArray w = Nd4j.zeros(DataType.FLOAT, out.in(), 2L * d);
            w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).assign(p.weights(out));
            INDArray b = Nd4j.zeros(DataType.FLOAT, 1, 2L * d);
            b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).assign(p.bias(out));
            b.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2L * d)).assign(
                    gaussian.learned() ? p.observationLogVariance() : Nd4j.valueArrayOf(new long[] {1, d},
                            gaussian.logVariance(), DataType.FLOAT));
            vae.setParam(VariationalAutoencoderParamInitializer.PXZ_W, w);
            vae.setParam(VariationalAutoencoderParamInitializer.PXZ_B, b);
        } else {
            set(vae, "pXZ", p, out);
        }
        return net;
    }

    /** The network as the bytes of a DL4J model file (without updater state). */
    static byte[] modelFile(Architecture arch, float[] parameters) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(toNetwork(arch, parameters), bytes, false);
        return bytes.toByteArray();
    }

    private static void set(Layer vae, String prefix, VaeParameters p, DenseSlot slot) {
        vae.setParam(prefix + VariationalAutoencoderParamInitializer.WEIGHT_KEY_SUFFIX, p.weights(slot));
        vae.setParam(prefix + VariationalAutoencoderParamInitializer.BIAS_KEY_SUFFIX, p.bias(slot));
    }

    private static Activation activation(Architecture arch) {
        return switch (arch.activation()) {
            case RELU -> Activation.RELU;
            case TANH -> Activation.TANH;
            case ELU -> Activation.ELU;
        };
    }
}
