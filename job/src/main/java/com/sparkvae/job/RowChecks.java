package com.sparkvae.job;

/** Value checks applied to every row once, when the data is loaded. */
final class RowChecks {
    private RowChecks() {
    }

    /** Returns the block if every value is finite (and within [0, 1] when {@code unitInterval}); throws otherwise. */
    static RowBlock check(RowBlock b, String uri, boolean unitInterval) {
        float[] v = b.values();
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (!Float.isFinite(x)) {
                throw new DataException(uri + ": value " + x + " in column " + (i % b.dim() + 1)
                        + "; every value must be a finite number");
            }
            if (unitInterval && (x < 0f || x > 1f)) {
                throw new DataException(uri + ": value " + x + " in column " + (i % b.dim() + 1)
                        + " lies outside [0, 1], which the Bernoulli likelihood requires (use --likelihood gaussian"
                        + " for other data)");
            }
        }
        return b;
    }

    /** Σ over rows of a 64-bit hash of the row's float bits: order-independent, so shards can be summed. */
    static long rowHashSum(RowBlock b) {
        long sum = 0;
        float[] v = b.values();
        for (int r = 0; r < b.rows(); r++) {
            long h = 0x9E3779B97F4A7C15L;
            for (int j = r * b.dim(); j < (r + 1) * b.dim(); j++) {
                h = (h ^ Float.floatToIntBits(v[j])) * 0x100000001B3L;
            }
            sum += h ^ (h >>> 29);
        }
        return sum;
    }
}
