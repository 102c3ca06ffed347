package com.sparkvae.job;

import static com.sparkvae.job.Converters.anyLong;
import static com.sparkvae.job.Converters.autoOr;
import static com.sparkvae.job.Converters.bool;
import static com.sparkvae.job.Converters.choice;
import static com.sparkvae.job.Converters.emptyOr;
import static com.sparkvae.job.Converters.intAtLeast;
import static com.sparkvae.job.Converters.nameList;
import static com.sparkvae.job.Converters.nonEmptyText;
import static com.sparkvae.job.Converters.text;

import com.sparkvae.job.Setting.Trait;
import com.sparkvae.model.AnomalyScore;
import java.util.List;
import java.util.Optional;

/** The options of {@code score} and {@code sample}, the commands that use a trained model, declared once. */
public final class ScoreSettings {
    public static final Setting<String> MODEL = new Setting<>("model", "URI", null,
            "The trained model: a model root (its latest run), its 'latest' file, a run directory, or a model.zip.",
            nonEmptyText()).with(Trait.URI);
    public static final Setting<Optional<String>> INPUT = new Setting<>("input", "URI", "",
            "The rows to score: files in any input format, like train's --input.", emptyOr(text())).with(Trait.URI);
    public static final Setting<Optional<String>> INPUT_TABLE = new Setting<>("input-table", "NAME", "",
            "The rows to score from a table of the session's catalog, instead of --input.", emptyOr(nonEmptyText()));
    public static final Setting<Optional<String>> WHERE = new Setting<>("where", "SQL", "",
            "A Spark SQL filter on the rows to score (tables and Spark sources), applied when reading.",
            emptyOr(nonEmptyText()));
    public static final Setting<Optional<List<String>>> FEATURES = new Setting<>("features", "auto|COLS", "auto",
            "Feature columns, as for train; auto: the columns the model was trained on, by name (for a model of "
                    + "unnamed columns, train's default).", autoOr(nameList()));
    public static final Setting<Optional<List<String>>> KEEP = new Setting<>("keep", "auto|COLS", "auto",
            "Input columns written beside the scores (names or globs); auto: every column that is not a feature. "
                    + "Rows of IDX and CSV files keep row_id, their position.", autoOr(nameList()));
    public static final Setting<Optional<String>> SCORES = new Setting<>("output", "URI", "",
            "The Parquet directory to write.", emptyOr(text())).with(Trait.URI);
    public static final Setting<Optional<String>> OUTPUT_TABLE = new Setting<>("output-table", "NAME", "",
            "Write the scores as a table of the session's catalog, instead of --output.", emptyOr(nonEmptyText()));
    public static final Setting<WriteMode> MODE = new Setting<>("mode", "error|overwrite|append", "error",
            "When the output (directory or table) exists: refuse, replace it, or add the new rows.",
            choice(WriteMode.class));
    public static final Setting<Optional<List<String>>> PARTITION_BY = new Setting<>("partition-by", "COLS", "",
            "Columns to partition the written scores by (kept columns, such as a date).", emptyOr(nameList()));
    public static final Setting<String> PICTURE = new Setting<>("output", "URI", null,
            "The PNG file to write.", nonEmptyText()).with(Trait.URI);
    public static final Setting<Integer> SAMPLES = new Setting<>("samples", "K", "64",
            "Importance samples per row for the estimate of -log p(x).", intAtLeast(1));
    public static final Setting<Optional<AnomalyScore>> SCORE_TYPE = new Setting<>("score-type",
            "auto|nll|excess|recon", "auto", "The anomaly score written as anomaly_score (train's --score-type "
                    + "says what each is); auto: the model's. A model trained with --contamination flags rows above "
                    + "its stored threshold in the column outlier; its threshold is for its own score type, so "
                    + "another one is refused.", autoOr(choice(AnomalyScore.class)));
    public static final Setting<Integer> PARTITIONS = new Setting<>("partitions", "P", "0",
            "Partitions to read into; 0 keeps the input's own (and its row order for row ids).", intAtLeast(0));
    public static final Setting<Integer> COUNT = new Setting<>("count", "N", "64",
            "Number of images t ~ N(0, I) to decode into the grid.", intAtLeast(1));
    public static final Setting<Long> SEED = new Setting<>("seed", "N", "1", "Seed of the draws.", anyLong());
    public static final Setting<Boolean> OVERWRITE = new Setting<>("overwrite", "", "false",
            "Replace an existing output (--mode overwrite).", bool());

    public static final Settings SCORE = Settings.of(MODEL, INPUT, INPUT_TABLE, WHERE, TrainSettings.FORMAT,
            TrainSettings.READ_OPTION, FEATURES, KEEP, SCORES, OUTPUT_TABLE, MODE, PARTITION_BY, SAMPLES, SCORE_TYPE,
            PARTITIONS,
            TrainSettings.CSV_HEADER, TrainSettings.BAD_ROWS, SEED, OVERWRITE);
    public static final Settings SAMPLE = Settings.of(MODEL, PICTURE, COUNT, SEED, OVERWRITE);

    private ScoreSettings() {
    }
}
