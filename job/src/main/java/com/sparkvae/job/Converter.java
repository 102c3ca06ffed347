package com.sparkvae.job;

/**
 * Turns an option's text into its typed value and back. {@link #parse} throws an {@link IllegalArgumentException}
 * whose message says what is accepted ("must be an integer ≥ 1"); {@link Setting} adds the key and the text.
 */
public interface Converter<T> {
    T parse(String text);

    /** The text that {@link #parse} turns back into {@code value}. */
    default String format(T value) {
        return String.valueOf(value);
    }

    /** The text of {@code value} as a run writes it down: {@link #format}, secrets hidden ({@link Redaction}). */
    default String formatRedacted(T value) {
        return format(value);
    }

    /** The value of an option given twice, {@code earlier} then {@code later}: the later one, unless merged. */
    default T merge(T earlier, T later) {
        return later;
    }
}
