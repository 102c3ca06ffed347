package com.sparkvae.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Turns the runs of {@code bench/partition-sweep.sh} into a Markdown table and a PNG plot of the held-out negative
 * ELBO per epoch for each partition count, with the epochs and time each took to reach a target.
 *
 * <pre>  PartitionSweepReport OUT_PREFIX TARGET_NATS COMMAND RUN_DIR...</pre>
 * writes OUT_PREFIX.md and OUT_PREFIX.png.
 */
public final class PartitionSweepReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int partitions, long examples, JsonNode schedule, int batchSize, List<JsonNode> epochs) {
        double test(int epoch) {
            return epochs.get(epoch - 1).get("test_neg_elbo").asDouble();
        }

        /** The first epoch whose held-out negative ELBO is at most {@code target}, or -1. */
        int firstEpochAtMost(double target) {
            for (int e = 1; e <= epochs.size(); e++) {
                if (test(e) <= target) {
                    return e;
                }
            }
            return -1;
        }
    }

    private PartitionSweepReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: PartitionSweepReport OUT_PREFIX TARGET_NATS COMMAND RUN_DIR...");
        }
        String prefix = args[0];
        double target = Double.parseDouble(args[1]);
        String command = args[2];
        List<Run> runs = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            runs.add(read(Path.of(args[i])));
        }
        Files.writeString(Path.of(prefix + ".md"), table(runs, target, command, Path.of(prefix).getFileName() + ".png"),
                StandardCharsets.UTF_8);
        List<ElboChart.Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            series.add(new ElboChart.Series(r.partitions() + " × " + r.batchSize() / r.partitions(),
                    ElboChart.colour(i), r.epochs().stream().mapToDouble(e -> e.get("test_neg_elbo").asDouble()).toArray()));
        }
        Files.write(Path.of(prefix + ".png"), ElboChart.lineChart(
                "held-out negative ELBO (nats) by epoch, partitions × minibatch per partition", series,
                OptionalDouble.of(target), OptionalDouble.of(target + 25)));
    }

    private static Run read(Path dir) throws IOException {
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        List<JsonNode> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                epochs.add(JSON.readTree(line));
            }
        }
        JsonNode train = manifest.get("data").get("train");
        return new Run(train.get("partitions").asInt(), train.get("examples").asLong(), manifest.get("schedule"),
                Integer.parseInt(manifest.get("config").get("batch-size").asText()), epochs);
    }

    /** The local steps, "a → b" where --local-steps auto changed them after the first epoch. */
    private static String localSteps(JsonNode schedule) {
        int last = schedule.get("local_steps").asInt();
        JsonNode first = schedule.get("local_steps_least");
        return first == null || first.asInt() == last ? Integer.toString(last) : first.asInt() + " → " + last;
    }

    private static String outer(JsonNode schedule) {
        String kind = schedule.get("outer").asText();
        return schedule.has("outer_momentum") ? kind + " " + schedule.get("outer_momentum").asDouble() : kind;
    }

    private static String table(List<Run> runs, double target, String command, String png) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Held-out negative ELBO as partitions grow, at 128 points per partition per step\n\n");
        sb.append("Written by `").append(command).append("` on ").append(java.time.LocalDate.now()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, local mode, default schedule ")
                .append("(docs/schedule.md), Fashion-MNIST (60,000 training, 10,000 held-out "
                        + "images), 784-400-20 Bernoulli VAE. One run per row. Time to target: training time "
                        + "(rounds only) and wall time since training began (per-epoch evaluation included, start-up "
                        + "excluded), at the end of the first epoch at or below the target. Local steps a → b: "
                        + "a in the first epoch, b after it, as --local-steps auto chose from the measured cost "
                        + "of a round; rounds: in the whole run.\n\n");
        int epochs = runs.stream().mapToInt(r -> r.epochs().size()).max().orElse(0);
        sb.append(String.format("| partitions | global minibatch | peak lr | local steps | outer step | rounds | -ELBO at 10 "
                + "| -ELBO at %d | epochs to %.1f | training s to %.1f | wall s to %.1f | examples/s |%n", epochs, target, target,
                target));
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            int at = r.firstEpochAtMost(target);
            JsonNode reached = at > 0 ? r.epochs().get(at - 1) : null;
            JsonNode last = r.epochs().get(r.epochs().size() - 1);
            double examplesPerSec = (double) r.examples() * r.epochs().size() / last.get("train_sec").asDouble();
            sb.append(String.format("| %d | %d | %.4g | %s | %s | %d | %s | %.2f | %s | %s | %s | %.0f |%n",
                    r.partitions(), r.batchSize(), r.schedule().get("peak_lr").asDouble(), localSteps(r.schedule()),
                    outer(r.schedule()), last.get("round").asLong(),
                    r.epochs().size() >= 10 ? String.format("%.2f", r.test(10)) : "-", r.test(r.epochs().size()),
                    at > 0 ? Integer.toString(at) : "not within " + r.epochs().size(),
                    reached == null ? "-" : String.format("%.0f", reached.get("train_sec").asDouble()),
                    reached == null ? "-" : String.format("%.0f", reached.get("elapsed_sec").asDouble()),
                    examplesPerSec));
        }
        sb.append("\n![held-out negative ELBO by epoch](").append(png).append(")\n\n");
        sb.append(String.format("Dashed line: the target, %.1f nats; curves are cut off above %.1f.%n%n", target,
                target + 25));
        sb.append("Held-out negative ELBO (nats) after each epoch:\n\n| epoch |");
        for (Run r : runs) {
            sb.append(' ').append(r.partitions()).append(" × ").append(r.batchSize() / r.partitions()).append(" |");
        }
        sb.append("\n|---|").append("---|".repeat(runs.size())).append('\n');
        for (int e = 1; e <= epochs; e++) {
            sb.append("| ").append(e).append(" |");
            for (Run r : runs) {
                sb.append(' ').append(e <= r.epochs().size() ? String.format("%.2f", r.test(e)) : "").append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
