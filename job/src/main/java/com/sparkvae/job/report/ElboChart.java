package com.sparkvae.job.report;

import com.sparkvae.job.store.EpochMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A run's negative ELBO by epoch as a PNG line chart ({@code elbo.png}), drawn by JFreeChart into an image in
 * memory: no display is needed.
 */
public final class ElboChart {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    private static final Color GRID = new Color(0xdddddd);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final int[] PALETTE = {0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x8c564b, 0x17becf};

    private ElboChart() {
    }

    /** One curve of a {@link #lineChart}: a value per epoch from epoch 1, drawn in {@code rgb}. */
    record Series(String name, int rgb, double[] values) {
    }

    /** The colour of the {@code i}-th series of a chart; {@link #elboCurve} draws train in 0, held-out in 1. */
    static int colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Train and held-out negative ELBO per epoch; held-out only when every epoch has a held-out figure. */
    public static byte[] elboCurve(List<EpochMetrics> epochs) throws IOException {
        double[] train = epochs.stream().mapToDouble(EpochMetrics::trainNegElbo).toArray();
        boolean hasTest = epochs.stream().allMatch(m -> m.testNegElbo().isPresent());
        List<Series> series = hasTest
                ? List.of(new Series("train", colour(0), train), new Series("held-out", colour(1),
                        epochs.stream().mapToDouble(m -> m.testNegElbo().getAsDouble()).toArray()))
                : List.of(new Series("train", colour(0), train));
        return lineChart(hasTest ? "Train and held-out negative ELBO by epoch" : "Train negative ELBO by epoch",
                series, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /**
     * Curves of a negative ELBO per epoch on one scale, with an optional dashed horizontal line at {@code target}
     * and an optional {@code ceiling} above which the y axis is cut (so that early epochs do not flatten the rest).
     */
    static byte[] lineChart(String title, List<Series> series, OptionalDouble target, OptionalDouble ceiling)
            throws IOException {
        XYSeriesCollection dataset = new XYSeriesCollection();
        Set<String> names = new HashSet<>();
        for (Series s : series) {
            String name = s.name();
            for (int k = 2; !names.add(name); k++) {
                name = s.name() + " (" + k + ")";
            }
            XYSeries xy = new XYSeries(name, false, true);
            for (int i = 0; i < s.values().length; i++) {
                xy.add(i + 1, s.values()[i]);
            }
            dataset.addSeries(xy);
        }

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, new Color(series.get(i).rgb()));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }

        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        x.setAutoRangeMinimumSize(1);
        NumberAxis y = new NumberAxis("negative ELBO (nats per example)");
        y.setAutoRangeIncludesZero(false);
        y.setAutoRangeMinimumSize(1);
        for (NumberAxis axis : List.of(x, y)) {
            axis.setTickLabelFont(TICKS);
            axis.setLabelFont(LABELS);
        }
        if (target.isPresent() || ceiling.isPresent()) {
            yRange(y, series, target, ceiling);
        }

        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Color.GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        if (target.isPresent()) {
            ValueMarker line = new ValueMarker(target.getAsDouble(), Color.DARK_GRAY, new BasicStroke(1.5f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            line.setLabel(String.format(Locale.ROOT, "target %.1f", target.getAsDouble()));
            line.setLabelFont(TICKS);
            line.setLabelPaint(Color.DARK_GRAY);
            line.setLabelBackgroundColor(new Color(0, true));
            line.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            line.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            line.setLabelOffset(new RectangleInsets(2, 4, 2, 4));
            plot.addRangeMarker(line);
        }

        JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        chart.getLegend().setFrame(BlockBorder.NONE);
        chart.getLegend().setItemFont(LABELS);
        return Png.encode(chart.createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, null));
    }

    /**
     * A fixed y range from the lowest to the highest value or target, but no higher than {@code ceiling} (when it is
     * above the lowest), with 5% to spare each side: auto-range would leave out the target line and not cut.
     */
    private static void yRange(NumberAxis y, List<Series> series, OptionalDouble target, OptionalDouble ceiling) {
        double lo = target.orElse(Double.POSITIVE_INFINITY);
        double hi = target.orElse(Double.NEGATIVE_INFINITY);
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            return;
        }
        if (ceiling.isPresent() && ceiling.getAsDouble() > lo) {
            hi = Math.min(hi, ceiling.getAsDouble());
        }
        if (!(hi - lo > 1e-9)) {
            hi = lo + 1;
        }
        double pad = 0.05 * (hi - lo);
        y.setRange(lo - pad, hi + pad);
    }
}
