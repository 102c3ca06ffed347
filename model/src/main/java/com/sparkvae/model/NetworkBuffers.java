package com.sparkvae.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The working arrays of {@link ElboGradient}'s forward and backward passes through the encoder and decoder for a block
 * of {@code rows} rows, each row-major with a row per example; {@link #firstRows} gives views of the first rows of
 * full-capacity buffers. The reconstruction term's own arrays belong to the term.
 */
final class NetworkBuffers {
    /** One hidden layer's pre-activation z, activation a = f(z), and the gradients with respect to them. */
    record Hidden(INDArray z, INDArray a, INDArray dA, INDArray dZ) {
        static Hidden of(DataType type, int rows, int width) {
            return new Hidden(matrix(type, rows, width), matrix(type, rows, width), matrix(type, rows, width),
                    matrix(type, rows, width));
        }

        Hidden firstRows(int r) {
            return new Hidden(HostArrays.firstRows(z, r), HostArrays.firstRows(a, r), HostArrays.firstRows(dA, r),
                    HostArrays.firstRows(dZ, r));
        }
    }

    final int rows;
    final Hidden[] encoder;
    final Hidden[] decoder;
    /** The encoder's heads m and v = log s², and the gradients with respect to them. */
    final INDArray mu;
    final INDArray logVar;
    final INDArray dMu;
    final INDArray dLogVar;
    /** The draw t̂ the decoder reads, and the gradient with respect to it. */
    final INDArray t;
    final INDArray dT;
    /** The decoder's output, and the gradient with respect to it. */
    final INDArray out;
    final INDArray dOut;
    /** A column of ones, for the bias products. */
    final INDArray ones;

    NetworkBuffers(ParameterLayout layout, DataType type, int rows) {
        this.rows = rows;
        this.encoder = hidden(layout.encoder(), type, rows);
        this.decoder = hidden(layout.decoder(), type, rows);
        int latentDim = layout.meanHead().out();
        int inputDim = layout.output().out();
        mu = matrix(type, rows, latentDim);
        logVar = matrix(type, rows, latentDim);
        t = matrix(type, rows, latentDim);
        dT = matrix(type, rows, latentDim);
        dMu = matrix(type, rows, latentDim);
        dLogVar = matrix(type, rows, latentDim);
        out = matrix(type, rows, inputDim);
        dOut = matrix(type, rows, inputDim);
        ones = Nd4j.ones(type, rows, 1);
    }

    private NetworkBuffers(NetworkBuffers src, int r) {
        rows = r;
        encoder = new Hidden[src.encoder.length];
        for (int i = 0; i < encoder.length; i++) {
            encoder[i] = src.encoder[i].firstRows(r);
        }
        decoder = new Hidden[src.decoder.length];
        for (int i = 0; i < decoder.length; i++) {
            decoder[i] = src.decoder[i].firstRows(r);
        }
        mu = HostArrays.firstRows(src.mu, r);
        logVar = HostArrays.firstRows(src.logVar, r);
        dMu = HostArrays.firstRows(src.dMu, r);
        dLogVar = HostArrays.firstRows(src.dLogVar, r);
        t = HostArrays.firstRows(src.t, r);
        dT = HostArrays.firstRows(src.dT, r);
        out = HostArrays.firstRows(src.out, r);
        dOut = HostArrays.firstRows(src.dOut, r);
        ones = HostArrays.firstRows(src.ones, r);
    }

    /** Views of the first {@code r} rows of every buffer. */
    NetworkBuffers firstRows(int r) {
        return new NetworkBuffers(this, r);
    }

    private static Hidden[] hidden(List<DenseSlot> layers, DataType type, int rows) {
        Hidden[] h = new Hidden[layers.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = Hidden.of(type, rows, layers.get(i).out());
        }
        return h;
    }

    private static INDArray matrix(DataType type, int rows, int cols) {
        return Nd4j.create(type, new long[] {rows, cols}, 'c');
    }
}
