package com.sparkvae.job;

/** The validated settings of {@code sample}; see {@link ScoreSettings} for what each means. */
public record SampleConfig(String model, String output, int count, long seed, boolean overwrite) {

    public static SampleConfig from(SettingValues v) {
        return new SampleConfig(v.get(ScoreSettings.MODEL), v.get(ScoreSettings.PICTURE), v.get(ScoreSettings.COUNT),
                v.get(ScoreSettings.SEED), v.get(ScoreSettings.OVERWRITE));
    }
}
