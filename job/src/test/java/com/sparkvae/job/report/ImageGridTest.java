package com.sparkvae.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    @Test
    void onlyPerfectSquaresAreSquareImages() {
        assertEquals(OptionalInt.of(28), ImageGrid.squareSide(784));
        assertEquals(OptionalInt.of(1), ImageGrid.squareSide(1));
        assertTrue(ImageGrid.squareSide(783).isEmpty());
        assertTrue(ImageGrid.squareSide(10).isEmpty());
    }

    /**
     * Three 2×2 images, two columns, two pixels per value: cells of 2·2 + 1 pixels and a one-pixel black border, so
     * 2·5 + 1 wide and 2·5 + 1 high; the empty fourth cell stays black.
     */
    @Test
    void aGridHasACellPerImageAndABlockOfPixelsPerValue() throws Exception {
        List<float[]> images = List.of(
                new float[] {0f, 1f, 0.5f, 2f},
                new float[] {-1f, 0.25f, 0.75f, 1f},
                new float[] {1f, 1f, 1f, 1f});
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(ImageGrid.grid(images, 2, 2, 2)));

        assertEquals(11, img.getWidth());
        assertEquals(11, img.getHeight());
        // Image 0 at (1, 1): value 0 black, 1 white, 0.5 mid grey, 2 clamped to white; each a 2×2 block.
        assertBlock(img, 1, 1, 0);
        assertBlock(img, 3, 1, 255);
        assertBlock(img, 1, 3, 128);
        assertBlock(img, 3, 3, 255);
        // Image 1 at (6, 1): -1 clamped to black, then 0.25, 0.75 and 1.
        assertBlock(img, 6, 1, 0);
        assertBlock(img, 8, 1, 64);
        assertBlock(img, 6, 3, 191);
        assertBlock(img, 8, 3, 255);
        // Image 2, all white, on the second row at (1, 6); the fourth cell, at (6, 6), is empty.
        assertBlock(img, 1, 6, 255);
        assertBlock(img, 3, 6, 255);
        assertBlock(img, 6, 6, 0);
        assertBlock(img, 8, 6, 0);
        // The gaps between cells and the border are black.
        for (int i = 0; i < 11; i++) {
            for (int line : new int[] {0, 5, 10}) {
                assertEquals(0, grey(img, i, line), "row " + line + ", x " + i);
                assertEquals(0, grey(img, line, i), "column " + line + ", y " + i);
            }
        }
    }

    private static void assertBlock(BufferedImage img, int x, int y, int expected) {
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                assertEquals(expected, grey(img, x + dx, y + dy), "pixel (" + (x + dx) + ", " + (y + dy) + ")");
            }
        }
    }

    /** The grey sample the PNG holds, which is what a viewer shows: 0.5 is 128, mid grey. */
    private static int grey(BufferedImage img, int x, int y) {
        assertEquals(1, img.getRaster().getNumBands(), "a grey image");
        return img.getRaster().getSample(x, y, 0);
    }
}
