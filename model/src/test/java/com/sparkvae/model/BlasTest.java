package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Direct BLAS products agree with ND4J's on the kinds of operands the model uses. */
class BlasTest {

    private static INDArray random(DataType type, int rows, int cols, long seed) {
        return vector(type, rows * cols, seed).reshape('c', rows, cols);
    }

    private static INDArray vector(DataType type, int length, long seed) {
        double[] values = new java.util.SplittableRandom(seed).doubles(length, -1, 1).toArray();
        return Nd4j.createFromArray(values).castTo(type).reshape('c', 1, length);
    }

    /** A rows × cols view at an offset inside a longer vector, as parameters are views of one flat vector. */
    private static INDArray viewInVector(DataType type, int offset, int rows, int cols, long seed) {
        INDArray flat = vector(type, offset + rows * cols + 7, seed);
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + rows * cols)).reshape('c', rows,
                cols);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.columns(), actual.columns());
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.columns(); j++) {
                assertEquals(expected.getDouble(i, j), actual.getDouble(i, j), tolerance, "entry " + i + ", " + j);
            }
        }
    }

    @Test
    void multipliesViewsAtAnOffsetInsideAVector() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = random(type, 5, 4, 1);
            INDArray w = viewInVector(type, 13, 4, 3, 2);
            INDArray c = Nd4j.create(type, 5, 3);
            Blas.gemm(a, w, c, false, false, 1.0, 0.0);
            assertClose(a.mmul(w.dup()), c, 1e-5);
        }
    }

    @Test
    void transposesAndAccumulatesIntoTheFirstRowsOfALargerBuffer() {
        INDArray x = random(DataType.DOUBLE, 6, 4, 3);
        INDArray dy = random(DataType.DOUBLE, 6, 3, 4);
        INDArray start = random(DataType.DOUBLE, 4, 3, 5);
        INDArray c = start.dup();
        Blas.gemm(x, dy, c, true, false, 2.0, 1.0);
        assertClose(x.transpose().mmul(dy).mul(2.0).add(start), c, 1e-12);

        INDArray buffer = random(DataType.DOUBLE, 9, 4, 6);
        INDArray firstRows = buffer.get(NDArrayIndex.interval(0, 6), NDArrayIndex.all());
        INDArray w = random(DataType.DOUBLE, 4, 3, 7);
        Blas.gemm(dy, w, firstRows, false, true, 1.0, 0.0);
        assertClose(dy.mmul(w.transpose()), firstRows, 1e-12);
        assertClose(random(DataType.DOUBLE, 9, 4, 6).get(NDArrayIndex.interval(6, 9), NDArrayIndex.all()),
                buffer.get(NDArrayIndex.interval(6, 9), NDArrayIndex.all()), 0);
    }

    @Test
    void refusesShapesThatDoNotMultiply() {
        INDArray a = random(DataType.FLOAT, 5, 4, 1);
        INDArray b = random(DataType.FLOAT, 3, 2, 2);
        INDArray c = Nd4j.create(DataType.FLOAT, 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(a, b, c, false, false, 1.0, 0.0));
        assertEquals("cannot multiply 5 × 4 by 3 × 2 into 5 × 2", e.getMessage());
    }

    @Test
    void refusesAColumnOrderedMatrix() {
        INDArray a = random(DataType.FLOAT, 5, 4, 1).transpose();
        INDArray b = random(DataType.FLOAT, 5, 2, 2);
        INDArray c = Nd4j.create(DataType.FLOAT, 4, 2);
        assertThrows(IllegalArgumentException.class, () -> Blas.gemm(a, b, c, false, false, 1.0, 0.0));
    }
}
