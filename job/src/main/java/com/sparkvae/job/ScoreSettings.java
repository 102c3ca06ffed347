package com.sparkvae.job;

import static com.sparkvae.job.Converters.anyLong;
import static com.sparkvae.job.Converters.bool;
import static com.sparkvae.job.Converters.intAtLeast;
import static com.sparkvae.job.Converters.nonEmptyText;

import com.sparkvae.job.Setting.Trait;

/** The options of {@code score} and {@code sample}, the commands that use a trained model, declared once. */
public final class ScoreSettings {
    public static final Setting<String> MODEL = new Setting<>("model", "URI", null,
            "The trained model: a model root (its latest run), its 'latest' file, a run directory, or a model.zip.",
            nonEmptyText()).with(Trait.URI);
    public static final Setting<String> INPUT = new Setting<>("input", "URI", null,
            "The rows to score (IDX, CSV or Parquet, like train's --input).", nonEmptyText()).with(Trait.URI);
    public static final Setting<String> SCORES = new Setting<>("output", "URI", null,
            "The Parquet directory to write.", nonEmptyText()).with(Trait.URI);
    public static final Setting<String> PICTURE = new Setting<>("output", "URI", null,
            "The PNG file to write.", nonEmptyText()).with(Trait.URI);
    public static final Setting<Integer> SAMPLES = new Setting<>("samples", "K", "64",
            "Importance samples per row for the estimate of -log p(x).", intAtLeast(1));
    public static final Setting<Integer> PARTITIONS = new Setting<>("partitions", "P", "0",
            "Partitions to read into; 0 keeps the input's own (and its row order for row ids).", intAtLeast(0));
    public static final Setting<Integer> COUNT = new Setting<>("count", "N", "64",
            "Number of images t ~ N(0, I) to decode into the grid.", intAtLeast(1));
    public static final Setting<Long> SEED = new Setting<>("seed", "N", "1", "Seed of the draws.", anyLong());
    public static final Setting<Boolean> OVERWRITE = new Setting<>("overwrite", "", "false",
            "Replace an existing output.", bool());

    public static final Settings SCORE = Settings.of(MODEL, INPUT, SCORES, SAMPLES, PARTITIONS,
            TrainSettings.FORMAT, TrainSettings.CSV_HEADER, TrainSettings.BAD_ROWS, SEED, OVERWRITE);
    public static final Settings SAMPLE = Settings.of(MODEL, PICTURE, COUNT, SEED, OVERWRITE);

    private ScoreSettings() {
    }
}
