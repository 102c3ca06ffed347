package com.sparkvae.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated options of one command: a typed view over its {@link SettingValues}. Each getter of a subclass
 * reads one setting ({@code get(TrainSettings.LR)}), so the parsed value is the value used; nothing is copied by
 * position.
 */
public abstract class CommandConfig {
    private final SettingValues values;

    protected CommandConfig(SettingValues values) {
        this.values = values;
    }

    /** The value of {@code setting}, as parsed (or defaulted) and validated. */
    public final <T> T get(Setting<T> setting) {
        return values.get(setting);
    }

    protected final SettingValues values() {
        return values;
    }

    /**
     * The options of this configuration that a saved form holds ({@link #asKeyValues}); all of the command's by
     * default.
     */
    protected Settings saved() {
        return values.settings();
    }

    /**
     * Every saved option as the text a config file would hold, in declaration order, with secrets hidden: a
     * reader option whose key names a secret, a URI's password ({@link Redaction}). What a run writes down.
     */
    public final Map<String, String> asKeyValues() {
        Map<String, String> out = new LinkedHashMap<>();
        values.texts().forEach((s, text) -> {
            if (saved().all().contains(s)) {
                out.put(s.key(), text);
            }
        });
        return out;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((CommandConfig) o).asKeyValues().equals(asKeyValues());
    }

    @Override
    public final int hashCode() {
        return asKeyValues().hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + asKeyValues();
    }
}
