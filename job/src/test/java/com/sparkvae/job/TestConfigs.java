package com.sparkvae.job;

import java.util.Map;

/** Configurations of the job's commands from their text form, as a config file would give them. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static TrainConfig train(Map<String, String> options) {
        return TrainConfig.fromKeyValues(options, "in the test");
    }

    public static ScoreConfig score(Map<String, String> options) {
        return ScoreConfig.from(SettingValues.parse(ScoreSettings.SCORE, options, "in the test"));
    }

    public static SampleConfig sample(Map<String, String> options) {
        return SampleConfig.from(SettingValues.parse(ScoreSettings.SAMPLE, options, "in the test"));
    }
}
