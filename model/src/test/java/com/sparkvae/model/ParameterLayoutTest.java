package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ParameterLayoutTest {

    @Test
    void referenceModelHasPyTorchsParameterCount() {
        // fc1 784·400+400, mu and logvar 400·20+20 each, fc3 20·400+400, fc4 400·784+784.
        assertEquals(652_824, new ParameterLayout(Architecture.reference(784)).size());
    }

    @Test
    void learnedGaussianVarianceAddsOneParameterPerFeature() {
        Architecture fixed = new Architecture(10, List.of(8), 2, Activation.RELU, new Likelihood.Gaussian(false, 0), 1);
        Architecture learned = new Architecture(10, List.of(8), 2, Activation.RELU, new Likelihood.Gaussian(true, 0), 1);
        assertEquals(new ParameterLayout(fixed).size() + 10, new ParameterLayout(learned).size());
    }

    @Test
    void layerViewsWriteThroughToTheFlatVector() {
        Architecture arch = new Architecture(3, List.of(2), 1, Activation.RELU, new Likelihood.Bernoulli(), 1);
        VaeParameters p = VaeParameters.zeros(new ParameterLayout(arch), DataType.FLOAT);
        DenseSlot out = p.layout().output();
        p.weights(out).putScalar(1, 2, 5f);
        p.bias(out).putScalar(0, 1, 7f);
        assertEquals(5f, p.flat().getFloat(out.weightOffset() + 1 * 3 + 2));
        assertEquals(7f, p.flat().getFloat(out.biasOffset() + 1));
        assertEquals(p.layout().size(), out.end());
    }

    @Test
    void initialisationIsReproducibleAndBoundedByFanIn() {
        Architecture arch = Architecture.reference(784);
        VaeParameters a = VaeParameters.initialise(arch, 9, DataType.FLOAT);
        VaeParameters b = VaeParameters.initialise(arch, 9, DataType.FLOAT);
        assertEquals(a.flat(), b.flat());
        DenseSlot first = a.layout().encoder().get(0);
        double bound = 1 / Math.sqrt(784);
        assertEquals(bound, a.weights(first).amaxNumber().doubleValue(), 1e-4);
    }

    @Test
    void invalidArchitecturesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Architecture(0, List.of(4), 2, Activation.RELU, new Likelihood.Bernoulli(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Architecture(4, List.of(4), 0, Activation.RELU, new Likelihood.Bernoulli(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Architecture(4, List.of(0), 2, Activation.RELU, new Likelihood.Bernoulli(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Architecture(4, List.of(4), 2, Activation.RELU, new Likelihood.Bernoulli(), 0));
    }
}
