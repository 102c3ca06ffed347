package com.sparkvae.job;

import static com.sparkvae.job.ScoreSettings.*;

import java.util.function.BiFunction;

/** The validated settings of {@code sample}, a typed view over their parsed values; see {@link ScoreSettings}. */
public final class SampleConfig extends CommandConfig {

    private SampleConfig(SettingValues values) {
        super(values);
    }

    public static SampleConfig from(SettingValues v) {
        return new SampleConfig(v);
    }

    /** This configuration with its URIs replaced by {@code qualify}'s result for (their key, their text). */
    public SampleConfig withUris(BiFunction<String, String, String> qualify) {
        return new SampleConfig(values().withUris(qualify));
    }

    public String model() {
        return get(MODEL);
    }

    public String output() {
        return get(PICTURE);
    }

    public int count() {
        return get(COUNT);
    }

    public long seed() {
        return get(SEED);
    }

    public boolean overwrite() {
        return get(OVERWRITE);
    }
}
