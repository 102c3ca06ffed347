package com.sparkvae.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of the VAE's parameters in one flat vector, so that parameters, gradients and optimiser moments are
 * each a single contiguous array: averaging, broadcasting and saving them is one operation, never a walk over keys.
 *
 * <p>Order: encoder hidden layers, the mean head, the log-variance head (together φ), decoder hidden layers, the
 * output layer and, for a Gaussian likelihood with learned variance, the per-feature log-variance (together w).
 */
public final class ParameterLayout {
    private final List<DenseSlot> encoder;
    private final DenseSlot meanHead;
    private final DenseSlot logVarianceHead;
    private final List<DenseSlot> decoder;
    private final DenseSlot output;
    private final long observationLogVarianceOffset;
    private final long size;

    public ParameterLayout(Architecture arch) {
        List<DenseSlot> enc = new ArrayList<>();
        long offset = 0;
        int width = arch.inputDim();
        for (int i = 0; i < arch.hidden().size(); i++) {
            DenseSlot slot = new DenseSlot("encoder." + i, width, arch.hidden().get(i), offset);
            enc.add(slot);
            offset = slot.end();
            width = slot.out();
        }
        meanHead = new DenseSlot("encoder.mean", width, arch.latentDim(), offset);
        offset = meanHead.end();
        logVarianceHead = new DenseSlot("encoder.logVariance", width, arch.latentDim(), offset);
        offset = logVarianceHead.end();

        List<DenseSlot> dec = new ArrayList<>();
        width = arch.latentDim();
        for (int i = arch.hidden().size() - 1; i >= 0; i--) {
            DenseSlot slot = new DenseSlot("decoder." + dec.size(), width, arch.hidden().get(i), offset);
            dec.add(slot);
            offset = slot.end();
            width = slot.out();
        }
        output = new DenseSlot("decoder.output", width, arch.inputDim(), offset);
        offset = output.end();
        if (arch.likelihood() instanceof Likelihood.Gaussian g && g.learned()) {
            observationLogVarianceOffset = offset;
            offset += arch.inputDim();
        } else {
            observationLogVarianceOffset = -1;
        }
        encoder = Collections.unmodifiableList(enc);
        decoder = Collections.unmodifiableList(dec);
        size = offset;
    }

    public List<DenseSlot> encoder() {
        return encoder;
    }

    public DenseSlot meanHead() {
        return meanHead;
    }

    public DenseSlot logVarianceHead() {
        return logVarianceHead;
    }

    public List<DenseSlot> decoder() {
        return decoder;
    }

    public DenseSlot output() {
        return output;
    }

    /** True when the layout holds a learned per-feature log-variance of a Gaussian likelihood. */
    public boolean hasObservationLogVariance() {
        return observationLogVarianceOffset >= 0;
    }

    public long observationLogVarianceOffset() {
        if (!hasObservationLogVariance()) {
            throw new IllegalStateException("this architecture has no learned observation log-variance");
        }
        return observationLogVarianceOffset;
    }

    /** Every dense layer, in layout order. */
    public List<DenseSlot> denseSlots() {
        List<DenseSlot> all = new ArrayList<>(encoder);
        all.add(meanHead);
        all.add(logVarianceHead);
        all.addAll(decoder);
        all.add(output);
        return all;
    }

    /** Number of scalar parameters. */
    public long size() {
        return size;
    }
}
