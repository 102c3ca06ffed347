package com.sparkvae.job.report;

import com.sparkvae.job.store.EpochMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;

/** PNG curves of a run by epoch. Drawn headless with Java2D. */
public final class Images {
    private Images() {
    }

    /** One curve of a {@link #lineChart}: a value per epoch from epoch 1, drawn in {@code rgb}. */
    record Series(String name, int rgb, double[] values) {
    }

    private static final int[] PALETTE = {0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x8c564b, 0x17becf};

    /** The colour of the {@code i}-th series of a chart. */
    static int colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Train and held-out negative ELBO per epoch. */
    public static byte[] elboCurve(List<EpochMetrics> epochs) throws IOException {
        double[] train = epochs.stream().mapToDouble(EpochMetrics::trainNegElbo).toArray();
        boolean hasTest = epochs.stream().allMatch(m -> m.testNegElbo().isPresent());
        List<Series> series = hasTest
                ? List.of(new Series("train", colour(0), train), new Series("held-out", colour(1),
                        epochs.stream().mapToDouble(m -> m.testNegElbo().getAsDouble()).toArray()))
                : List.of(new Series("train", colour(0), train));
        return lineChart("negative ELBO (nats per example) by epoch", series, java.util.OptionalDouble.empty(),
                java.util.OptionalDouble.empty());
    }

    /**
     * Curves of a value per epoch, sharing one scale, with an optional dashed horizontal line at {@code target} and
     * an optional {@code ceiling} above which curves are cut off (so that early epochs do not flatten the rest).
     * Labels are skipped where the JVM has no fonts.
     */
    static byte[] lineChart(String title, List<Series> series, java.util.OptionalDouble target,
                            java.util.OptionalDouble ceiling) throws IOException {
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
        double lo = target.orElse(Double.MAX_VALUE);
        double hi = target.orElse(-Double.MAX_VALUE);
        int n = 1;
        for (Series s : series) {
            n = Math.max(n, s.values().length);
            for (double v : s.values()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi - lo > 1e-9)) {
            lo = Double.isFinite(lo) && lo != Double.MAX_VALUE ? lo : 0;
            hi = lo + 1;
        }
        if (ceiling.isPresent() && ceiling.getAsDouble() > lo) {
            hi = Math.min(hi, ceiling.getAsDouble());
        }
        double pad = 0.05 * (hi - lo);
        lo -= pad;
        hi += pad;
        int plotWidth = w - left - right;
        double grid = gridStep((hi - lo) / 6);
        g.setColor(new Color(0xe0e0e0));
        for (double v = Math.ceil(lo / grid) * grid; v <= hi; v += grid) {
            int gy = y(v, lo, hi, top, h - bottom);
            g.drawLine(left, gy, w - right, gy);
        }
        g.setColor(Color.GRAY);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        if (target.isPresent()) {
            int ty = y(target.getAsDouble(), lo, hi, top, h - bottom);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
            g.drawLine(left, ty, w - right, ty);
        }
        g.setStroke(new BasicStroke(2f));
        g.setClip(left, top, plotWidth + 1, h - top - bottom + 1);
        for (Series s : series) {
            int count = s.values().length;
            int[] xs = new int[count];
            int[] ys = new int[count];
            for (int i = 0; i < count; i++) {
                xs[i] = left + (n == 1 ? plotWidth / 2 : i * plotWidth / (n - 1));
                ys[i] = y(s.values()[i], lo, hi, top, h - bottom);
            }
            g.setColor(new Color(s.rgb()));
            g.drawPolyline(xs, ys, count);
        }
        g.setClip(null);
        try {
            g.setColor(Color.BLACK);
            g.drawString(title, left, top - 10);
            int x = left;
            for (Series s : series) {
                g.setColor(new Color(s.rgb()));
                g.drawString(s.name(), x, h - bottom + 38);
                x += g.getFontMetrics().stringWidth(s.name()) + 14;
            }
            g.setColor(Color.BLACK);
            for (double v = Math.ceil(lo / grid) * grid; v <= hi; v += grid) {
                g.drawString(String.format(grid < 1 ? "%.1f" : "%.0f", v), 5, y(v, lo, hi, top, h - bottom) + 5);
            }
            g.drawString("1", left, h - bottom + 18);
            g.drawString(n + " epochs", w - right - 60, h - bottom + 18);
        } catch (Throwable noFonts) {
            // Headless JVMs without fonts cannot draw text; the curves alone still say what they show.
        }
        g.dispose();
        return png(img);
    }

    /** A step of 1, 2 or 5 times a power of ten, at least {@code raw}. */
    private static double gridStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
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
