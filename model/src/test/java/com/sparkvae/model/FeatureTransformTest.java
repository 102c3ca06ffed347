package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A model's feature transform: fill, shift and scale, clip, its inverse, and what it adds to a density. */
class FeatureTransformTest {
    private static final float[] FILL = {10f, 20f};
    private static final float[] SHIFT = {1f, -2f};
    private static final float[] SCALE = {4f, 0.5f};

    @Test
    void missingValuesAreFilledThenEveryFeatureShiftedAndScaled() {
        float[] rows = {9f, Float.NaN, Float.NaN, 0f};
        new FeatureTransform(FILL, SHIFT, SCALE, false).applyInPlace(rows, 0, 2, 2);
        assertArrayEquals(new float[] {2f, 44f, 2.25f, 4f}, rows);
    }

    @Test
    void theInverseGivesBackTheRowsAsGiven() {
        float[] given = {3.5f, -7f, 100f, 0.25f};
        float[] rows = given.clone();
        FeatureTransform t = new FeatureTransform(null, SHIFT, SCALE, false);
        t.applyInPlace(rows, 0, 2, 2);
        t.invertInPlace(rows, 0, 2, 2);
        assertArrayEquals(given, rows, 1e-5f);
    }

    @Test
    void clippingKeepsScaledValuesInTheUnitInterval() {
        float[] rows = {-3f, 100f};
        new FeatureTransform(null, new float[] {0f, 0f}, new float[] {1f, 10f}, true).applyInPlace(rows, 0, 1, 2);
        assertArrayEquals(new float[] {0f, 1f}, rows);
    }

    @Test
    void theLogJacobianIsTheSumOfTheLogScales() {
        assertEquals(Math.log(4) + Math.log(0.5), new FeatureTransform(null, SHIFT, SCALE, false).logJacobian(), 1e-12);
        assertEquals(0, FeatureTransform.identity().logJacobian());
    }

    @Test
    void theIdentityLeavesRowsAsTheyAre() {
        float[] rows = {Float.NaN, 5f};
        FeatureTransform.identity().applyInPlace(rows, 0, 1, 2);
        assertTrue(Float.isNaN(rows[0]));
        assertEquals(5f, rows[1]);
        assertTrue(FeatureTransform.identity().isIdentity());
    }

    @Test
    void aScaleThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureTransform(null, SHIFT, new float[] {1f, 0f},
                false));
        assertThrows(IllegalStateException.class, () -> new FeatureTransform(null, SHIFT, SCALE, false)
                .applyInPlace(new float[] {Float.NaN, 1f}, 0, 1, 2), "a missing value and nothing to fill it with");
    }
}
