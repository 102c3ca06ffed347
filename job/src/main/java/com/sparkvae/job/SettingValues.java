package com.sparkvae.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Typed values of a command's settings: each one given, and the default of every other. Which were given (on the
 * command line or in a config file) is kept, for options that replace one another.
 */
public final class SettingValues {
    private final Settings settings;
    private final Map<Setting<?>, Object> values;
    private final Set<Setting<?>> given;

    private SettingValues(Settings settings, Map<Setting<?>, Object> values, Set<Setting<?>> given) {
        this.settings = settings;
        this.values = Collections.unmodifiableMap(values);
        this.given = Collections.unmodifiableSet(given);
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
        Set<Setting<?>> named = new LinkedHashSet<>(given.keySet());
        named.retainAll(settings.all());
        return new SettingValues(settings, out, named);
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

    /** Whether the value was given (on the command line or in a config file) rather than defaulted. */
    public boolean isGiven(Setting<?> setting) {
        return given.contains(setting);
    }

    public Settings settings() {
        return settings;
    }

    /** These values with {@code setting}'s replaced by {@code value}. */
    public <T> SettingValues with(Setting<T> setting, T value) {
        get(setting);
        Map<Setting<?>, Object> out = new LinkedHashMap<>(values);
        out.put(setting, value);
        return new SettingValues(settings, out, given);
    }

    /** These values with every URI replaced by {@code qualify}'s result for (its key, its text). */
    public SettingValues withUris(BiFunction<String, String, String> qualify) {
        Map<Setting<?>, Object> out = new LinkedHashMap<>();
        values.forEach((s, v) -> out.put(s, qualifiedUnchecked(s, v, qualify)));
        return new SettingValues(settings, out, given);
    }

    /**
     * Every value as the text a config file would hold, keyed by its setting, in declaration order, secrets hidden
     * ({@link Setting#formatRedacted}): what a run writes down.
     */
    public Map<Setting<?>, String> texts() {
        Map<Setting<?>, String> out = new LinkedHashMap<>();
        values.forEach((s, v) -> out.put(s, formatUnchecked(s, v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> String formatUnchecked(Setting<T> s, Object value) {
        return s.formatRedacted((T) value);
    }

    @SuppressWarnings("unchecked")
    private static <T> Object qualifiedUnchecked(Setting<T> s, Object value, BiFunction<String, String, String> q) {
        return s.qualified((T) value, q);
    }
}
