package com.sparkvae.job;

import static com.sparkvae.job.ScoreSettings.*;

import java.util.function.BiFunction;

/** The validated settings of {@code score}, a typed view over their parsed values; see {@link ScoreSettings}. */
public final class ScoreConfig extends CommandConfig {

    private ScoreConfig(SettingValues values) {
        super(values);
    }

    public static ScoreConfig from(SettingValues v) {
        return new ScoreConfig(v);
    }

    /** This configuration with its URIs replaced by {@code qualify}'s result for (their key, their text). */
    public ScoreConfig withUris(BiFunction<String, String, String> qualify) {
        return new ScoreConfig(values().withUris(qualify));
    }

    public String model() {
        return get(MODEL);
    }

    public String input() {
        return get(INPUT);
    }

    public String output() {
        return get(SCORES);
    }

    public int samples() {
        return get(SAMPLES);
    }

    public int partitions() {
        return get(PARTITIONS);
    }

    public InputFormat format() {
        return get(TrainSettings.FORMAT);
    }

    public CsvHeader csvHeader() {
        return get(TrainSettings.CSV_HEADER);
    }

    public BadRowPolicy badRows() {
        return get(TrainSettings.BAD_ROWS);
    }

    public long seed() {
        return get(SEED);
    }

    public boolean overwrite() {
        return get(OVERWRITE);
    }
}
