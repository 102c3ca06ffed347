package com.sparkvae.job;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One option of a command, declared once: its key (the config-file key, and {@code --key} on the command line), the
 * placeholder of its value in help texts (empty for a flag, which may be given bare), its default as text
 * ({@code null}: required), its documentation, the converter that types and checks its values, and the facts about
 * it that other parts of the job act on ({@link Trait}).
 */
public record Setting<T>(String key, String valueHint, String defaultText, String doc, Converter<T> converter,
                         Set<Trait> traits) {

    /** What the job does with an option beyond parsing it; each is read off the setting, never listed elsewhere. */
    public enum Trait {
        /** Names a file or directory: qualified on the driver before any task sees it. */
        URI,
        /** A URI, or the keyword {@code latest} (the model root's promoted run), which stays as it is. */
        URI_OR_LATEST,
        /** May differ when a run is resumed: where the run goes, how long it runs, what happens after it. */
        MAY_CHANGE_ON_RESUME,
        /** Places a run (model root, run id, warm start) and says nothing about the model a run directory holds. */
        PLACES_RUN,
        /** May be given more than once on the command line; the values are merged ({@link Converter#merge}). */
        REPEATABLE,
        /**
         * Only the command has it: it says where the rows come from and how they are read (files, tables, filters,
         * formats, feature columns), or where a run goes and what happens around it (run directory, checkpoints,
         * model root, promotion, retention, warm start). Spark ML's Estimator takes a DataFrame and is saved by
         * Spark ML's own persistence, so it has no Param for such an option; every other {@code train} option is
         * one. Every option that names files ({@link #URI}, {@link #URI_OR_LATEST}) or places a run
         * ({@link #PLACES_RUN}) has this trait too.
         */
        COMMAND_ONLY
    }

    public Setting {
        traits = traits.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(traits));
    }

    public Setting(String key, String valueHint, String defaultText, String doc, Converter<T> converter) {
        this(key, valueHint, defaultText, doc, converter, Set.of());
    }

    /** This setting with {@code more} traits. */
    public Setting<T> with(Trait... more) {
        Set<Trait> all = traits.isEmpty() ? EnumSet.noneOf(Trait.class) : EnumSet.copyOf(traits);
        all.addAll(Arrays.asList(more));
        return new Setting<>(key, valueHint, defaultText, doc, converter, all);
    }

    public boolean has(Trait trait) {
        return traits.contains(trait);
    }

    /** Parses {@code text}, or throws a {@link ConfigException} naming the key, the rule and the text. */
    public T parse(String text) {
        try {
            return converter.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage() + " (got '" + text + "')");
        }
    }

    /** The text of {@code value}, as a config file would hold it. */
    public String format(T value) {
        return converter.format(value);
    }

    /**
     * The text of {@code value} as a run writes it down (config.conf, manifest.json, checkpoints, model.zip): secrets
     * hidden, and a URI's password.
     */
    public String formatRedacted(T value) {
        String text = converter.formatRedacted(value);
        return isUri() ? Redaction.uri(text) : text;
    }

    public String flag() {
        return "--" + key;
    }

    /** A boolean option, given bare ({@code --resume}) or with a value ({@code --resume yes}). */
    public boolean isFlag() {
        return valueHint.isEmpty();
    }

    public boolean isRequired() {
        return defaultText == null;
    }

    /** Whether the value names files ({@link Trait#URI} or {@link Trait#URI_OR_LATEST}). */
    public boolean isUri() {
        return has(Trait.URI) || has(Trait.URI_OR_LATEST);
    }

    /**
     * {@code value} with the URI it holds (a text, or an optional text) replaced by {@code qualify}'s result for
     * (this key, the text); the keyword {@code latest} of a {@link Trait#URI_OR_LATEST} setting stays.
     */
    @SuppressWarnings("unchecked")
    public T qualified(T value, BiFunction<String, String, String> qualify) {
        if (!isUri()) {
            return value;
        }
        if (value instanceof Optional<?> optional) {
            return (T) optional.map(v -> qualifiedText((String) v, qualify));
        }
        return (T) qualifiedText((String) value, qualify);
    }

    private String qualifiedText(String text, BiFunction<String, String, String> qualify) {
        return has(Trait.URI_OR_LATEST) && text.equals(LATEST) ? text : qualify.apply(key, text);
    }

    /** What {@link Trait#URI_OR_LATEST} options take to name the model root's promoted run. */
    public static final String LATEST = "latest";
}
