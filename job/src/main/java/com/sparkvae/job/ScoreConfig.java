package com.sparkvae.job;

/** The validated settings of {@code score}; see {@link ScoreSettings} for what each means. */
public record ScoreConfig(String model, String input, String output, int samples, int partitions, InputFormat format,
                          CsvHeader csvHeader, BadRowPolicy badRows, long seed, boolean overwrite) {

    public static ScoreConfig from(SettingValues v) {
        return new ScoreConfig(v.get(ScoreSettings.MODEL), v.get(ScoreSettings.INPUT), v.get(ScoreSettings.SCORES),
                v.get(ScoreSettings.SAMPLES), v.get(ScoreSettings.PARTITIONS), v.get(TrainSettings.FORMAT),
                v.get(TrainSettings.CSV_HEADER), v.get(TrainSettings.BAD_ROWS), v.get(ScoreSettings.SEED),
                v.get(ScoreSettings.OVERWRITE));
    }

    /** This configuration with its URIs replaced by {@code qualify}'s result for (their key, their text). */
    public ScoreConfig withUris(java.util.function.BiFunction<String, String, String> qualify) {
        return new ScoreConfig(qualify.apply("model", model), qualify.apply("input", input),
                qualify.apply("output", output), samples, partitions, format, csvHeader, badRows, seed, overwrite);
    }
}
