package com.sparkvae.model;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.EluBp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/** Hidden-layer nonlinearity a = f(z), applied elementwise, with its backward pass. */
public enum Activation {
    /** f(z) = max(z, 0). */
    RELU {
        @Override
        void forward(INDArray z, INDArray a) {
            Nd4j.exec(new RectifiedLinear(z, a, 0.0));
        }

        /**
         * dZ = dA ⊙ [z &gt; 0], as a step mask multiplied in: two vectorised passes, faster than ND4J's LeakyReLUBp,
         * which calls a std::function per element (docs/measurements.md, 2026-11-24).
         */
        @Override
        void backward(INDArray z, INDArray dA, INDArray dZ) {
            Nd4j.exec(new Step(z, dZ, 0.0));
            Nd4j.exec(new MulOp(dZ, dA, dZ));
        }
    },
    /** f(z) = tanh(z). */
    TANH {
        @Override
        void forward(INDArray z, INDArray a) {
            Nd4j.exec(new Tanh(z, a));
        }

        @Override
        void backward(INDArray z, INDArray dA, INDArray dZ) {
            Nd4j.exec(new TanhDerivative(z, dA, dZ));
        }
    },
    /** f(z) = z for z &gt; 0, exp(z) − 1 otherwise (alpha 1). */
    ELU {
        @Override
        void forward(INDArray z, INDArray a) {
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.ELU(z, a));
        }

        @Override
        void backward(INDArray z, INDArray dA, INDArray dZ) {
            Nd4j.exec(new EluBp(z, dA, dZ));
        }
    };

    /** Writes f(z) into {@code a}. */
    abstract void forward(INDArray z, INDArray a);

    /** Writes dZ = dA ⊙ f'(z) into {@code dZ}, from the pre-activation z. */
    abstract void backward(INDArray z, INDArray dA, INDArray dZ);

    /** Parses a name such as {@code relu}, case-insensitively. */
    public static Activation parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + name + "': expected relu, tanh or elu");
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
