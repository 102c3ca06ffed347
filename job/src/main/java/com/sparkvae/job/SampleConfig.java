package com.sparkvae.job;

/** The validated settings of {@code sample}; see {@link ScoreSettings} for what each means. */
public record SampleConfig(String model, String output, int count, long seed, boolean overwrite) {

    public static SampleConfig from(SettingValues v) {
        return new SampleConfig(v.get(ScoreSettings.MODEL), v.get(ScoreSettings.PICTURE), v.get(ScoreSettings.COUNT),
                v.get(ScoreSettings.SEED), v.get(ScoreSettings.OVERWRITE));
    }

    /** This configuration with its URIs replaced by {@code qualify}'s result for (their key, their text). */
    public SampleConfig withUris(java.util.function.BiFunction<String, String, String> qualify) {
        return new SampleConfig(qualify.apply("model", model), qualify.apply("output", output), count, seed,
                overwrite);
    }
}
