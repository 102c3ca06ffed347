package com.sparkvae.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.store.EpochMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** elbo.png: a PNG line chart of the train and held-out negative ELBO by epoch. */
class ElboChartTest {
    private static final int TRAIN = ElboChart.colour(0);
    private static final int HELD_OUT = ElboChart.colour(1);

    @Test
    void theChartIsAn800By500Png() throws IOException {
        BufferedImage img = chart(epochs(true, true, true, true));
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
    }

    @Test
    void itDrawsTheTrainAndTheHeldOutCurve() throws IOException {
        BufferedImage img = chart(epochs(true, true, true, true));
        assertTrue(plotPixels(img, TRAIN) > 20, "train curve drawn: " + plotPixels(img, TRAIN));
        assertTrue(plotPixels(img, HELD_OUT) > 20, "held-out curve drawn: " + plotPixels(img, HELD_OUT));
    }

    @Test
    void aHeldOutCurveNeedsAHeldOutFigureForEveryEpoch() throws IOException {
        BufferedImage img = chart(epochs(true, false, true, true));
        assertTrue(plotPixels(img, TRAIN) > 20, "train curve drawn: " + plotPixels(img, TRAIN));
        assertEquals(0, pixels(img, HELD_OUT), "no held-out curve, nor a legend item for one");
    }

    /** Four epochs of falling negative ELBO, with a held-out figure where {@code withTest} says so. */
    private static List<EpochMetrics> epochs(boolean... withTest) {
        double[] train = {290, 262, 251, 247};
        double[] test = {275, 258, 250, 248};
        return java.util.stream.IntStream.range(0, withTest.length).mapToObj(i -> new EpochMetrics(i + 1, 4L * (i + 1),
                train[i], train[i] - 15, 15, withTest[i] ? OptionalDouble.of(test[i]) : OptionalDouble.empty(),
                20_000, 3.0 * (i + 1), 2.5 * (i + 1), 0.002, OptionalDouble.of(40), OptionalDouble.of(5)))
                .toList();
    }

    private static BufferedImage chart(List<EpochMetrics> epochs) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(ElboChart.elboCurve(epochs)));
    }

    /** Pixels of exactly {@code rgb} above the x axis' label and the legend, that is on the curves themselves. */
    private static int plotPixels(BufferedImage img, int rgb) {
        return count(img, rgb, img.getHeight() - 80);
    }

    private static int pixels(BufferedImage img, int rgb) {
        return count(img, rgb, img.getHeight());
    }

    private static int count(BufferedImage img, int rgb, int rows) {
        int n = 0;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
