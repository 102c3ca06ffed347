package com.sparkvae.job.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;

/** PNG grids of grey square images (decoded samples, reconstructions), a block of pixels per value. Headless. */
public final class ImageGrid {
    private ImageGrid() {
    }

    /** The side of square images of {@code dim} pixels, if {@code dim} is a perfect square. */
    public static OptionalInt squareSide(int dim) {
        int side = (int) Math.round(Math.sqrt(dim));
        return side * side == dim ? OptionalInt.of(side) : OptionalInt.empty();
    }

    /**
     * A grid of grey images, {@code columns} wide; values in [0, 1] (clamped), 0 black. Each image is drawn
     * {@code scale} pixels per value with a one-pixel gap.
     */
    public static byte[] grid(List<float[]> images, int side, int columns, int scale) throws IOException {
        int rows = (images.size() + columns - 1) / columns;
        int cell = side * scale + 1;
        BufferedImage img = new BufferedImage(columns * cell + 1, rows * cell + 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < images.size(); k++) {
            float[] v = images.get(k);
            int x0 = (k % columns) * cell + 1;
            int y0 = (k / columns) * cell + 1;
            for (int i = 0; i < side; i++) {
                for (int j = 0; j < side; j++) {
                    int grey = Math.round(255 * Math.max(0f, Math.min(1f, v[i * side + j])));
                    for (int a = 0; a < scale; a++) {
                        for (int b = 0; b < scale; b++) {
                            // The sample itself: setRGB would convert sRGB to the linear grey this image type
                            // holds, and viewers, reading the PNG's plain grey samples, would show mid-greys dark.
                            img.getRaster().setSample(x0 + j * scale + b, y0 + i * scale + a, 0, grey);
                        }
                    }
                }
            }
        }
        return Png.encode(img);
    }
}
