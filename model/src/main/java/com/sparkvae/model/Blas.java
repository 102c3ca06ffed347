package com.sparkvae.model;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Matrix products through OpenBLAS's {@code cblas_?gemm}, called directly on ND4J arrays' memory: the same library
 * and thread settings ND4J's own BLAS calls use.
 *
 * <p>Why not {@code Nd4j.gemm}: it wraps every product in a custom op, building and freeing a native context and
 * registering it with ND4J's deallocator. For this model's small latent-side products that overhead is as large as
 * the product itself (docs/measurements.md, 2026-11-29). Called directly, a product costs what OpenBLAS takes.
 *
 * <p>Operands must be row-major matrices with contiguous rows, as every buffer and parameter view of this package
 * is; anything else is refused before BLAS sees it, since BLAS would read or write out of bounds.
 */
final class Blas {
    private Blas() {
    }

    /** c ← α op(a) op(b) + β c, where op transposes when asked; β = 0 overwrites c, whatever it held. */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                     double beta) {
        checkMatrix(a);
        checkMatrix(b);
        checkMatrix(c);
        int m = transposeA ? columns(a) : rows(a);
        int k = transposeA ? rows(a) : columns(a);
        int n = transposeB ? rows(b) : columns(b);
        int kb = transposeB ? columns(b) : rows(b);
        if (k != kb || rows(c) != m || columns(c) != n) {
            throw new IllegalArgumentException("cannot multiply " + shape(a, transposeA) + " by " + shape(b, transposeB)
                    + " into " + shape(c, false));
        }
        DataType type = c.dataType();
        if (a.dataType() != type || b.dataType() != type) {
            throw new IllegalArgumentException("operands of " + a.dataType() + " and " + b.dataType() + " for a "
                    + type + " product");
        }
        int ta = transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int order = openblas_nolapack.CblasRowMajor;
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(order, ta, tb, m, n, k, (float) alpha, floats(a), leading(a), floats(b),
                    leading(b), (float) beta, floats(c), leading(c));
        } else if (type == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(order, ta, tb, m, n, k, alpha, doubles(a), leading(a), doubles(b),
                    leading(b), beta, doubles(c), leading(c));
        } else {
            throw new IllegalArgumentException("unsupported data type " + type);
        }
    }

    private static int rows(INDArray a) {
        return Math.toIntExact(a.rows());
    }

    private static int columns(INDArray a) {
        return Math.toIntExact(a.columns());
    }

    /** The distance between rows; any distance of at least a row's length is valid for a one-row matrix. */
    private static int leading(INDArray a) {
        return a.rows() == 1 ? Math.toIntExact(a.columns()) : Math.toIntExact(a.stride(0));
    }

    /** Judged by strides, not ND4J's order flag, which calls a view of a column 'f'. */
    private static void checkMatrix(INDArray a) {
        if (a.rank() != 2 || (a.columns() > 1 && a.stride(1) != 1)
                || (a.rows() > 1 && a.stride(0) < a.columns())) {
            throw new IllegalArgumentException("a row-major matrix with contiguous rows is required, got "
                    + a.shapeInfoToString());
        }
    }

    /** The first element's address: a view's data buffer is itself a view, starting where the array does. */
    private static FloatPointer floats(INDArray a) {
        return new FloatPointer(a.data().addressPointer());
    }

    private static DoublePointer doubles(INDArray a) {
        return new DoublePointer(a.data().addressPointer());
    }

    private static String shape(INDArray a, boolean transposed) {
        return a.rows() + " × " + a.columns() + (transposed ? " (transposed)" : "");
    }
}
