package com.sparkvae.job;

import static com.sparkvae.job.ScoreSettings.*;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** The validated settings of {@code score}, a typed view over their parsed values; see {@link ScoreSettings}. */
public final class ScoreConfig extends CommandConfig {

    private ScoreConfig(SettingValues values) {
        super(values);
    }

    /** The settings, with one source of rows and one output required, and {@code --overwrite} as a mode. */
    public static ScoreConfig from(SettingValues v) {
        if (v.get(INPUT).isPresent() == v.get(INPUT_TABLE).isPresent()) {
            throw new ConfigException(v.get(INPUT).isPresent() ? "input: give either --input or --input-table, not both"
                    : "input: required (--input URI or --input-table NAME)");
        }
        if (v.get(SCORES).isPresent() == v.get(OUTPUT_TABLE).isPresent()) {
            throw new ConfigException(v.get(SCORES).isPresent()
                    ? "output: give either --output or --output-table, not both"
                    : "output: required (--output URI or --output-table NAME)");
        }
        if (v.get(OVERWRITE) && v.get(MODE) == WriteMode.APPEND) {
            throw new ConfigException("mode: --overwrite replaces the output, --mode append adds to it; give one");
        }
        return new ScoreConfig(v.get(OVERWRITE) ? v.with(MODE, WriteMode.OVERWRITE) : v);
    }

    /** This configuration with its URIs replaced by {@code qualify}'s result for (their key, their text). */
    public ScoreConfig withUris(BiFunction<String, String, String> qualify) {
        return new ScoreConfig(values().withUris(qualify));
    }

    public String model() {
        return get(MODEL);
    }

    /** The rows to score, read like train's. */
    public InputSpec source() {
        return new InputSpec("input", get(INPUT), get(INPUT_TABLE), get(TrainSettings.FORMAT),
                get(TrainSettings.READ_OPTION), get(WHERE), get(FEATURES), get(TrainSettings.CSV_HEADER),
                get(TrainSettings.BAD_ROWS));
    }

    /** The Parquet directory to write, unless a table is. */
    public Optional<String> output() {
        return get(SCORES);
    }

    public Optional<String> outputTable() {
        return get(OUTPUT_TABLE);
    }

    /** Where the scores go, as messages name it. */
    public String describeOutput() {
        return output().orElseGet(() -> "table " + outputTable().get());
    }

    public WriteMode mode() {
        return get(MODE);
    }

    public Optional<List<String>> keep() {
        return get(KEEP);
    }

    public List<String> partitionBy() {
        return get(PARTITION_BY).orElse(List.of());
    }

    public int samples() {
        return get(SAMPLES);
    }

    /** The anomaly score asked for; empty for the model's own. */
    public Optional<com.sparkvae.model.AnomalyScore> scoreType() {
        return get(SCORE_TYPE);
    }

    public int partitions() {
        return get(PARTITIONS);
    }

    public long seed() {
        return get(SEED);
    }
}
