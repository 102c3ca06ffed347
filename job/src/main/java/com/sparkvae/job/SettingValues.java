package com.sparkvae.job;

import java.util.LinkedHashMap;
import java.util.Map;

/** Typed values of a command's settings: each given one, and the default of every other. */
public final class SettingValues {
    private final Map<Setting<?>, Object> values;

    private SettingValues(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** Values already typed (by the command line's parser), completed with defaults. */
    public static SettingValues of(Settings settings, Map<Setting<?>, Object> given) {
        Map<Setting<?>, Object> out = new LinkedHashMap<>();
        for (Setting<?> s : settings.all()) {
            if (given.containsKey(s)) {
                out.put(s, given.get(s));
            } else if (!s.isRequired()) {
                out.put(s, s.parse(s.defaultText()));
            } else {
                throw new ConfigException(s.key() + ": required (" + s.flag() + " " + s.valueHint() + ")");
            }
        }
        return new SettingValues(out);
    }

    /** Values as text, keyed as in a config file, parsed and completed with defaults; unknown keys refused. */
    public static SettingValues parse(Settings settings, Map<String, String> texts, String where) {
        return of(settings, typed(settings, texts, where));
    }

    /** Each text parsed by its setting; a key that is not one of {@code settings} is refused, naming {@code where}. */
    public static Map<Setting<?>, Object> typed(Settings settings, Map<String, String> texts, String where) {
        Map<Setting<?>, Object> typed = new LinkedHashMap<>();
        texts.forEach((key, text) -> {
            Setting<?> s = settings.byKey(key).orElseThrow(() -> new ConfigException(
                    "unknown option '" + key + "' " + where + "; run with --help to list options"));
            typed.put(s, s.parse(text));
        });
        return typed;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException("not a setting of this command: " + setting.key());
        }
        return (T) values.get(setting);
    }
}
