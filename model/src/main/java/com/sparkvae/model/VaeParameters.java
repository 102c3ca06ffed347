package com.sparkvae.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A flat vector laid out by {@link ParameterLayout}, with matrix views of each layer. Used for parameters and for
 * gradients alike (a gradient has the same shape as what it differentiates). The views share memory with
 * {@link #flat()}: writing through either is seen by the other.
 */
public final class VaeParameters {
    private final ParameterLayout layout;
    private final INDArray flat;
    // Views are made once: building an ND4J view costs more than a small matrix product.
    private final java.util.Map<DenseSlot, INDArray> weightViews = new java.util.HashMap<>();
    private final java.util.Map<DenseSlot, INDArray> biasViews = new java.util.HashMap<>();
    private final INDArray observationLogVarianceView;

    /** Wraps {@code flat} (a contiguous vector of {@code layout.size()} entries) without copying. */
    public VaeParameters(ParameterLayout layout, INDArray flat) {
        if (flat.length() != layout.size()) {
            throw new IllegalArgumentException(
                    "parameter vector has " + flat.length() + " entries, the layout needs " + layout.size());
        }
        this.layout = layout;
        this.flat = flat.reshape(flat.length());
        for (DenseSlot slot : layout.denseSlots()) {
            weightViews.put(slot, slice(slot.weightOffset(), slot.biasOffset()).reshape('c', slot.in(), slot.out()));
            biasViews.put(slot, slice(slot.biasOffset(), slot.end()).reshape('c', 1, slot.out()));
        }
        if (layout.hasObservationLogVariance()) {
            long start = layout.observationLogVarianceOffset();
            long d = layout.output().out();
            observationLogVarianceView = slice(start, start + d).reshape('c', 1, d);
        } else {
            observationLogVarianceView = null;
        }
    }

    private INDArray slice(long from, long to) {
        return flat.get(NDArrayIndex.interval(from, to));
    }

    /** A single-precision copy of {@code values}, laid out by {@code layout}. */
    public static VaeParameters copyOf(ParameterLayout layout, float[] values) {
        INDArray flat = Nd4j.create(DataType.FLOAT, values.length);
        HostArrays.copyInto(values, flat);
        return new VaeParameters(layout, flat);
    }

    /** A zero vector, e.g. for a gradient accumulator. */
    public static VaeParameters zeros(ParameterLayout layout, DataType type) {
        return new VaeParameters(layout, Nd4j.zeros(type, layout.size()));
    }

    /**
     * Fresh parameters drawn as PyTorch's {@code nn.Linear} does by default, so runs start like the reference:
     * every weight and bias of a layer with {@code in} inputs is uniform on ±1/√in. The learned Gaussian
     * log-variance starts at the architecture's {@code logVariance}.
     */
    public static VaeParameters initialise(Architecture arch, long seed, DataType type) {
        ParameterLayout layout = new ParameterLayout(arch);
        double[] values = new double[Math.toIntExact(layout.size())];
        SplittableRandom random = new SplittableRandom(seed);
        for (DenseSlot slot : layout.denseSlots()) {
            double bound = 1.0 / Math.sqrt(slot.in());
            for (long i = slot.weightOffset(); i < slot.end(); i++) {
                values[(int) i] = random.nextDouble(-bound, bound);
            }
        }
        if (layout.hasObservationLogVariance()) {
            double v = ((Likelihood.Gaussian) arch.likelihood()).logVariance();
            int start = (int) layout.observationLogVarianceOffset();
            java.util.Arrays.fill(values, start, start + arch.inputDim(), v);
        }
        return new VaeParameters(layout, Nd4j.createFromArray(values).castTo(type));
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The whole vector (shared, not a copy). */
    public INDArray flat() {
        return flat;
    }

    /** The {@code in × out} weight matrix of a layer, as a view. */
    public INDArray weights(DenseSlot slot) {
        return view(weightViews, slot);
    }

    /** The {@code 1 × out} bias row of a layer, as a view. */
    public INDArray bias(DenseSlot slot) {
        return view(biasViews, slot);
    }

    private static INDArray view(java.util.Map<DenseSlot, INDArray> views, DenseSlot slot) {
        INDArray v = views.get(slot);
        if (v == null) {
            throw new IllegalArgumentException("layer " + slot.name() + " is not part of this layout");
        }
        return v;
    }

    /** The {@code 1 × inputDim} learned observation log-variance, as a view. */
    public INDArray observationLogVariance() {
        if (observationLogVarianceView == null) {
            throw new IllegalStateException("this architecture has no learned observation log-variance");
        }
        return observationLogVarianceView;
    }

    /** An independent copy. */
    public VaeParameters copy() {
        return new VaeParameters(layout, flat.dup());
    }
}
