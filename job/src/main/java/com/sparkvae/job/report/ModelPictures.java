package com.sparkvae.job.report;

import com.sparkvae.model.Architecture;
import com.sparkvae.model.ElboGradient;
import com.sparkvae.model.FeatureTransform;
import com.sparkvae.model.GaussianNoise;
import com.sparkvae.model.HostArrays;
import com.sparkvae.model.Likelihood;
import com.sparkvae.model.ParameterLayout;
import com.sparkvae.model.RandomStreams;
import com.sparkvae.model.VaeParameters;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What a model draws: decoder means at prior samples, and reconstructions of given rows, in the data's own units
 * (the model's feature transform applied to the rows going in and inverted on the means coming out). On the driver.
 */
public final class ModelPictures {
    private ModelPictures() {
    }

    /** Decoder means E[x | t] at {@code count} draws t ~ N(0, I) from the generation stream of {@code seed}. */
    public static List<float[]> samples(Architecture arch, float[] params, FeatureTransform transform, int count,
                                        long seed) {
        ElboGradient model = new ElboGradient(arch, count, DataType.FLOAT);
        INDArray t = Nd4j.create(DataType.FLOAT, count, arch.latentDim());
        new GaussianNoise(RandomStreams.stream(seed, RandomStreams.Purpose.GENERATION, 0, 0, 0)).fill(t);
        return inverted(rows(decoderMean(arch, model.decode(wrap(arch, params), t))), transform);
    }

    /** For each given row, the row and then its reconstruction E[x | t = m(x)]. */
    public static List<float[]> reconstructions(Architecture arch, float[] params, FeatureTransform transform,
                                                List<float[]> originals) {
        ElboGradient model = new ElboGradient(arch, originals.size(), DataType.FLOAT);
        float[] flat = new float[originals.size() * arch.inputDim()];
        for (int i = 0; i < originals.size(); i++) {
            System.arraycopy(originals.get(i), 0, flat, i * arch.inputDim(), arch.inputDim());
        }
        transform.applyInPlace(flat, 0, originals.size(), arch.inputDim());
        INDArray x = Nd4j.create(DataType.FLOAT, originals.size(), arch.inputDim());
        HostArrays.copyInto(flat, x);
        VaeParameters p = wrap(arch, params);
        List<float[]> recon = inverted(rows(decoderMean(arch, model.decode(p, model.encode(p, x)[0]))), transform);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < originals.size(); i++) {
            out.add(originals.get(i));
            out.add(recon.get(i));
        }
        return out;
    }

    /**
     * Images for a grid of grey levels in [0, 1]: as they are when they lie there, else stretched linearly from
     * their overall minimum and maximum, so data in other units still shows.
     */
    public static List<float[]> forDisplay(List<float[]> images) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float[] v : images) {
            for (float x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (lo >= 0 && hi <= 1 || !(hi > lo)) {
            return images;
        }
        List<float[]> out = new ArrayList<>();
        for (float[] v : images) {
            float[] w = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                w[i] = (v[i] - lo) / (hi - lo);
            }
            out.add(w);
        }
        return out;
    }

    private static List<float[]> inverted(List<float[]> rows, FeatureTransform transform) {
        for (float[] r : rows) {
            transform.invertInPlace(r, 0, 1, r.length);
        }
        return rows;
    }

    private static INDArray decoderMean(Architecture arch, INDArray output) {
        return arch.likelihood() instanceof Likelihood.Bernoulli ? Transforms.sigmoid(output, false) : output;
    }

    private static VaeParameters wrap(Architecture arch, float[] params) {
        return VaeParameters.copyOf(new ParameterLayout(arch), params);
    }

    private static List<float[]> rows(INDArray m) {
        float[] all = HostArrays.toFloatArray(m);
        int cols = (int) m.columns();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < m.rows(); i++) {
            float[] row = new float[cols];
            System.arraycopy(all, i * cols, row, 0, cols);
            out.add(row);
        }
        return out;
    }
}
