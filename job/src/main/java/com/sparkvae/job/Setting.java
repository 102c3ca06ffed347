package com.sparkvae.job;

/**
 * One option of a command, declared once: its key (the config-file key, and {@code --key} on the command line), the
 * placeholder of its value in help texts (empty for a flag, which may be given bare), its default as text
 * ({@code null}: required), its documentation, and the converter that types and checks its values.
 */
public record Setting<T>(String key, String valueHint, String defaultText, String doc, Converter<T> converter) {

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

    /** Formats a value read off a typed record, whose component type is this setting's. */
    @SuppressWarnings("unchecked")
    String formatUnchecked(Object value) {
        return format((T) value);
    }
}
