package com.sparkvae.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Working arrays shaped like the decoder's output, for the reconstruction terms computed with ND4J ops: two scratch
 * blocks, and the sums those terms take over a block, through BLAS with arrays of ones: a dot product for a block's
 * sum (far cheaper than ND4J's reduction op), matrix products for its row and column sums.
 *
 * <p>Built for blocks of up to {@code capacity} rows; {@link #rows} selects views of the first r rows, made when the
 * block size changes and kept while it stays.
 */
final class OutputScratch {
    private final DataType type;
    private final INDArray fullFirst;
    private final INDArray fullSecond;
    private final INDArray fullOnes;
    private final INDArray fullRowOnes;
    private final INDArray featureOnes;
    private int rows;
    private INDArray first;
    private INDArray second;
    private INDArray ones;              // r × inputDim
    private INDArray rowOnes;           // r × 1

    OutputScratch(int inputDim, int capacity, DataType type) {
        this.type = type;
        this.fullFirst = Nd4j.create(type, new long[] {capacity, inputDim}, 'c');
        this.fullSecond = Nd4j.create(type, new long[] {capacity, inputDim}, 'c');
        this.fullOnes = Nd4j.ones(type, capacity, inputDim);
        this.fullRowOnes = Nd4j.ones(type, capacity, 1);
        this.featureOnes = Nd4j.ones(type, inputDim, 1);
        this.rows = capacity;
        this.first = fullFirst;
        this.second = fullSecond;
        this.ones = fullOnes;
        this.rowOnes = fullRowOnes;
    }

    /** Selects the first {@code r} rows of every block for the calls that follow; returns this. */
    OutputScratch rows(int r) {
        if (r != rows) {
            first = HostArrays.firstRows(fullFirst, r);
            second = HostArrays.firstRows(fullSecond, r);
            ones = HostArrays.firstRows(fullOnes, r);
            rowOnes = HostArrays.firstRows(fullRowOnes, r);
            rows = r;
        }
        return this;
    }

    /** The first scratch block, r × inputDim. */
    INDArray first() {
        return first;
    }

    /** The second scratch block, r × inputDim. */
    INDArray second() {
        return second;
    }

    /** The sum of an r × inputDim block. */
    double sum(INDArray a) {
        return dot(a, ones);
    }

    /** α times the row sums of an r × inputDim block, as a new r × 1 array. */
    INDArray rowSums(INDArray a, double alpha) {
        INDArray sums = Nd4j.create(type, rows, 1);
        Blas.gemm(a, featureOnes, sums, false, false, alpha, 0.0);
        return sums;
    }

    /** target ← α (the column sums of an r × inputDim block) + β target, for a 1 × inputDim target. */
    void columnSumsInto(INDArray a, INDArray target, double alpha, double beta) {
        Blas.gemm(rowOnes, a, target, true, false, alpha, beta);
    }

    /** Σ_k a_k b_k over two contiguous arrays of the same length. */
    static double dot(INDArray a, INDArray b) {
        return Nd4j.getBlasWrapper().dot(a.reshape(a.length()), b.reshape(b.length()));
    }
}
