package com.sparkvae.model;

/**
 * A Bernoulli decoder's per-element terms in single precision, on heap arrays: the loss softplus(l) − x l and the
 * logit gradient σ(l) − x, from one e^{−|l|} per element.
 *
 * <p>Why not ND4J's ops: its softplus and sigmoid call scalar {@code expf} and {@code logf} per element, plus a
 * subtraction and two sums as further passes (docs/measurements.md, 2026-11-29, has what that cost a step). These
 * loops compute e^{−|l|} and log1p with polynomials in plain float arithmetic that HotSpot's C2 compiles to vector
 * instructions. Each loop is kept small on purpose:
 * C2 vectorises only the loops it unrolls, and it does not unroll a long body. The one conversion to int, which C2
 * does not vectorise, has a loop of its own.
 *
 * <p>Accuracy: e^{−a} (Cephes' {@code expf} polynomial after Cody-Waite reduction) and log1p(e) = 2 atanh(e / (2 +
 * e)) (series to s¹³, s ≤ 1/3) are within a few units in the last place; the tests hold softplus to 3e-7 relative
 * and σ to 2e-7 absolute against double precision from −100 to 100 and at the extremes. For |l| above 87, e^{−|l|}
 * is taken at 87, where it is still a normal float: nothing overflows, and softplus and σ are off by less than 2e-38.
 *
 * <p>Owns two scratch arrays of {@code capacity} elements; not thread-safe.
 */
final class BernoulliTerms {
    private static final float LOG2_E = 1.44269504f;
    private static final float ROUNDING = 0x1.8p23f;      // adding and subtracting it rounds to an integer
    private static final float LN2_HIGH = 0.693359375f;   // ln 2 in two parts (Cody-Waite), so n ln 2 is exact
    private static final float LN2_LOW = -2.12194440e-4f;

    private final float[] exps;          // e^{−|l|} per element
    private final float[] scratch;

    BernoulliTerms(int capacity) {
        this.exps = new float[capacity];
        this.scratch = new float[capacity];
    }

    /**
     * Returns Σ_k softplus(l_k) − x_k l_k over the first {@code count} elements and, when {@code gradient} is given,
     * writes scale · (σ(l_k) − x_k) into it.
     */
    double lossAndGradient(float[] logits, float[] x, int count, float scale, float[] gradient) {
        float[] e = exps;
        expNegAbs(logits, count, e, scratch);
        if (gradient != null) {
            for (int k = 0; k < count; k++) {
                float ek = e[k];
                float q = 1f / (1f + ek);                                    // σ(|l|)
                float negative = Math.min(Math.max(logits[k] * -0x1p40f, 0f), 1f);   // 1 where l < 0, 0 where l > 0
                // σ(l) = q for l ≥ 0 and e q for l < 0, without a branch (C2 vectorises no selects); near l = 0,
                // where `negative` may lie between 0 and 1, e q and q agree to within |l| < 2^-40.
                gradient[k] = scale * (q + (ek * q - q) * negative - x[k]);
            }
        }
        lossTerms(e, logits, x, count, scratch);
        return sum(scratch, count);
    }

    /** Writes softplus(l_k) − x_k l_k into {@code terms} for the first {@code count} elements. */
    void lossTerms(float[] logits, float[] x, int count, float[] terms) {
        expNegAbs(logits, count, exps, scratch);
        lossTerms(exps, logits, x, count, terms);
    }

    /** terms[k] = max(l_k, 0) + log1p(e_k) − x_k l_k, which is softplus(l_k) − x_k l_k for e_k = e^{−|l_k|}. */
    private static void lossTerms(float[] e, float[] logits, float[] x, int count, float[] terms) {
        for (int k = 0; k < count; k++) {
            float ek = e[k];
            float s = ek / (2f + ek);
            float s2 = s * s;
            float log1p = 2f * s * (1f + s2 * (1f / 3 + s2 * (1f / 5 + s2 * (1f / 7 + s2 * (1f / 9 + s2 * (1f / 11
                    + s2 * (1f / 13)))))));
            float l = logits[k];
            terms[k] = Math.max(l, 0f) + log1p - x[k] * l;
        }
    }

    /** e[k] = e^{−|l_k|}, with {@code scratch} for the powers of two. */
    private static void expNegAbs(float[] logits, int count, float[] e, float[] scratch) {
        float[] twoToMinusN = scratch;
        for (int k = 0; k < count; k++) {
            float a = Math.min(Math.abs(logits[k]), 87f);
            float n = (a * LOG2_E + ROUNDING) - ROUNDING;                  // round(a / ln 2), in float arithmetic
            e[k] = n * LN2_HIGH - a + n * LN2_LOW;                         // r = n ln 2 − a, |r| ≤ ln 2 / 2
            twoToMinusN[k] = n;
        }
        for (int k = 0; k < count; k++) {
            twoToMinusN[k] = Float.intBitsToFloat((127 - (int) twoToMinusN[k]) << 23);
        }
        for (int k = 0; k < count; k++) {
            float r = e[k];
            float p = (((((1.9875691500E-4f * r + 1.3981999507E-3f) * r + 8.3334519073E-3f) * r
                    + 4.1665795894E-2f) * r + 1.6666665459E-1f) * r + 5.0000001201E-1f) * (r * r) + r + 1f;
            e[k] = p * twoToMinusN[k];                                     // e^{−a} = 2^{−n} e^{r}
        }
    }

    /** The sum of the first {@code count} values, in eight float lanes (which C2 keeps in registers) and then double. */
    private static double sum(float[] v, int count) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int k = 0;
        for (; k + 8 <= count; k += 8) {
            s0 += v[k];
            s1 += v[k + 1];
            s2 += v[k + 2];
            s3 += v[k + 3];
            s4 += v[k + 4];
            s5 += v[k + 5];
            s6 += v[k + 6];
            s7 += v[k + 7];
        }
        double total = (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        for (; k < count; k++) {
            total += v[k];
        }
        return total;
    }
}
