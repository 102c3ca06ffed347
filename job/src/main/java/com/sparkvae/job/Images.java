package com.sparkvae.job;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;

/** PNG pictures of a model and its run: image grids and the ELBO curve. Drawn headless with Java2D. */
final class Images {
    private Images() {
    }

    /** The side of square images of {@code dim} pixels, if {@code dim} is a perfect square. */
    static OptionalInt squareSide(int dim) {
        int side = (int) Math.round(Math.sqrt(dim));
        return side * side == dim ? OptionalInt.of(side) : OptionalInt.empty();
    }

    /**
     * A grid of grey images, {@code columns} wide; values in [0, 1] (clamped), 0 black. Each image is drawn
     * {@code scale} pixels per value with a one-pixel gap.
     */
    static byte[] grid(List<float[]> images, int side, int columns, int scale) throws IOException {
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
                    int rgb = grey << 16 | grey << 8 | grey;
                    for (int a = 0; a < scale; a++) {
                        for (int b = 0; b < scale; b++) {
                            img.setRGB(x0 + j * scale + b, y0 + i * scale + a, rgb);
                        }
                    }
                }
            }
        }
        return png(img);
    }

    /** Train and held-out negative ELBO per epoch. Labels are skipped where the JVM has no fonts. */
    static byte[] elboCurve(List<EpochMetrics> epochs) throws IOException {
        int w = 640;
        int h = 400;
        int left = 70;
        int right = 20;
        int top = 30;
        int bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (EpochMetrics m : epochs) {
            lo = Math.min(lo, m.trainNegElbo());
            hi = Math.max(hi, m.trainNegElbo());
            if (m.testNegElbo().isPresent()) {
                lo = Math.min(lo, m.testNegElbo().getAsDouble());
                hi = Math.max(hi, m.testNegElbo().getAsDouble());
            }
        }
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        double pad = 0.05 * (hi - lo);
        lo -= pad;
        hi += pad;
        g.setColor(Color.GRAY);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        int n = epochs.size();
        int[] xs = new int[n];
        int[] train = new int[n];
        int[] test = new int[n];
        boolean hasTest = true;
        for (int i = 0; i < n; i++) {
            EpochMetrics m = epochs.get(i);
            xs[i] = left + (n == 1 ? (w - left - right) / 2 : i * (w - left - right) / (n - 1));
            train[i] = y(m.trainNegElbo(), lo, hi, top, h - bottom);
            hasTest &= m.testNegElbo().isPresent();
            test[i] = hasTest ? y(m.testNegElbo().getAsDouble(), lo, hi, top, h - bottom) : 0;
        }
        g.setStroke(new BasicStroke(2f));
        g.setColor(new Color(0x1f77b4));
        g.drawPolyline(xs, train, n);
        if (hasTest) {
            g.setColor(new Color(0xd62728));
            g.drawPolyline(xs, test, n);
        }
        try {
            g.setColor(Color.BLACK);
            g.drawString("negative ELBO (nats per example) by epoch: train (blue)" + (hasTest ? ", held-out (red)" : ""),
                    left, top - 10);
            g.drawString(String.format("%.1f", hi), 5, top + 5);
            g.drawString(String.format("%.1f", lo), 5, h - bottom);
            g.drawString("1", left, h - bottom + 20);
            g.drawString(Integer.toString(n), w - right - 20, h - bottom + 20);
        } catch (Throwable noFonts) {
            // Headless JVMs without fonts cannot draw text; the curves alone still say what they show.
        }
        g.dispose();
        return png(img);
    }

    private static int y(double v, double lo, double hi, int top, int bottom) {
        return (int) Math.round(bottom - (v - lo) / (hi - lo) * (bottom - top));
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
