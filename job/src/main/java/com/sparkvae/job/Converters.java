package com.sparkvae.job;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The converters of the job's options, one per kind of value, each saying what it accepts when it refuses. */
public final class Converters {
    private Converters() {
    }

    public static Converter<Integer> intAtLeast(int min) {
        return s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer ≥ " + min);
            }
            if (v < min) {
                throw new IllegalArgumentException("must be an integer ≥ " + min);
            }
            return v;
        };
    }

    public static Converter<Long> anyLong() {
        return s -> {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer");
            }
        };
    }

    /** true/yes/1 or false/no/0, in any case. */
    public static Converter<Boolean> bool() {
        return s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("must be true or false (or yes/no, 1/0)");
        };
    }

    public static Converter<Double> positiveDouble() {
        return number(v -> v > 0, "must be a positive number");
    }

    public static Converter<Double> nonNegativeDouble() {
        return number(v -> v >= 0, "must be a number ≥ 0");
    }

    public static Converter<Double> finiteDouble() {
        return number(v -> true, "must be a finite number");
    }

    /** [0, 1), as Adam's decay rates must be. */
    public static Converter<Double> unitInterval() {
        return number(v -> v >= 0 && v < 1, "must lie in [0, 1)");
    }

    /** [0, 0.5]: a fraction of rows taken as anomalies, fewer than half of them. */
    public static Converter<Double> fraction() {
        return number(v -> v >= 0 && v <= 0.5, "must lie in [0, 0.5]");
    }

    /** [0, 1]. */
    public static Converter<Double> closedUnitInterval() {
        return number(v -> v >= 0 && v <= 1, "must lie in [0, 1]");
    }

    private static Converter<Double> number(java.util.function.DoublePredicate ok, String rule) {
        return s -> {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number");
            }
            if (!Double.isFinite(v) || !ok.test(v)) {
                throw new IllegalArgumentException(rule);
            }
            return v;
        };
    }

    /** One of the constants of {@code type}, written as its name in any case. */
    public static <E extends Enum<E>> Converter<E> choice(Class<E> type) {
        E[] all = type.getEnumConstants();
        String allowed = Arrays.stream(all).map(Converters::key).collect(Collectors.joining(", "));
        return new Converter<>() {
            @Override
            public E parse(String s) {
                for (E e : all) {
                    if (key(e).equalsIgnoreCase(s)) {
                        return e;
                    }
                }
                throw new IllegalArgumentException("must be one of " + allowed);
            }

            @Override
            public String format(E value) {
                return key(value);
            }
        };
    }

    private static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code auto} (empty: the job chooses) or a value {@code inner} accepts. */
    public static <T> Converter<Optional<T>> autoOr(Converter<T> inner) {
        return optional("auto", inner);
    }

    /** {@code none} or the empty text (absent), or a value {@code inner} accepts; absent is written {@code none}. */
    public static <T> Converter<Optional<T>> noneOr(Converter<T> inner) {
        return optional("none", inner);
    }

    /** The empty text (absent) or a value {@code inner} accepts. */
    public static <T> Converter<Optional<T>> emptyOr(Converter<T> inner) {
        return optional("", inner);
    }

    private static <T> Converter<Optional<T>> optional(String absent, Converter<T> inner) {
        return new Converter<>() {
            @Override
            public Optional<T> parse(String s) {
                if (s.isEmpty() || s.equalsIgnoreCase(absent)) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(inner.parse(s));
                } catch (IllegalArgumentException e) {
                    String rest = e.getMessage().replaceFirst("^(must be|expected) ", "is ");
                    throw new IllegalArgumentException(absent.isEmpty() ? e.getMessage()
                            : "must be " + absent + " or a value that " + rest);
                }
            }

            @Override
            public String format(Optional<T> value) {
                return value.map(inner::format).orElse(absent);
            }
        };
    }

    public static Converter<String> text() {
        return s -> s;
    }

    /** Text that may not be empty. */
    public static Converter<String> nonEmptyText() {
        return s -> {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return s;
        };
    }

    /** Comma-separated positive integers such as {@code 512,256}; the empty text is the empty list. */
    public static Converter<List<Integer>> positiveIntList() {
        return new Converter<>() {
            @Override
            public List<Integer> parse(String s) {
                if (s.isEmpty()) {
                    return List.of();
                }
                String[] parts = s.split(",");
                Integer[] out = new Integer[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    try {
                        out[i] = Integer.parseInt(parts[i].trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "expected comma-separated positive integers such as 400 or 512,256");
                    }
                    if (out[i] < 1) {
                        throw new IllegalArgumentException("layer sizes must be positive integers");
                    }
                }
                return List.of(out);
            }

            @Override
            public String format(List<Integer> value) {
                return value.stream().map(String::valueOf).collect(Collectors.joining(","));
            }
        };
    }

    /** A Spark data source name, or auto, idx, csv ({@link InputFormat}). */
    public static Converter<InputFormat> inputFormat() {
        return new Converter<>() {
            @Override
            public InputFormat parse(String s) {
                return new InputFormat(s);
            }

            @Override
            public String format(InputFormat value) {
                return value.name();
            }
        };
    }

    /**
     * Comma-separated names such as {@code id,mean_*}: column names, or globs of them. Names are taken as written;
     * a blank one is refused.
     */
    public static Converter<List<String>> nameList() {
        return new Converter<>() {
            @Override
            public List<String> parse(String s) {
                List<String> out = new java.util.ArrayList<>();
                for (String part : s.split(",", -1)) {
                    if (part.isBlank()) {
                        throw new IllegalArgumentException("expected comma-separated column names such as id,site");
                    }
                    out.add(part.trim());
                }
                return List.copyOf(out);
            }

            @Override
            public String format(List<String> value) {
                return String.join(",", value);
            }
        };
    }

    /**
     * {@code KEY=VALUE} pairs, comma-separated ({@code a=1,b=2}); a comma belongs to the value unless a
     * {@code KEY=} follows it. Given more than once, the pairs are merged, the later value of a key winning. The
     * empty text is no pairs.
     */
    public static Converter<Map<String, String>> keyValues() {
        return new Converter<>() {
            @Override
            public Map<String, String> parse(String s) {
                Map<String, String> out = new java.util.LinkedHashMap<>();
                if (s.isEmpty()) {
                    return out;
                }
                for (String pair : s.split(",(?=\\s*[A-Za-z0-9_.-]+\\s*=)")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0 || pair.substring(0, eq).isBlank()) {
                        throw new IllegalArgumentException("expected KEY=VALUE, such as mergeSchema=true");
                    }
                    out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
                return java.util.Collections.unmodifiableMap(out);
            }

            @Override
            public String format(Map<String, String> value) {
                return value.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
            }

            @Override
            public String formatRedacted(Map<String, String> value) {
                return value.entrySet().stream().map(e -> e.getKey() + "=" + (Redaction.isSecret(e.getKey(),
                        e.getValue()) ? Redaction.REDACTED : e.getValue())).collect(Collectors.joining(","));
            }

            @Override
            public Map<String, String> merge(Map<String, String> earlier, Map<String, String> later) {
                Map<String, String> out = new java.util.LinkedHashMap<>(earlier);
                out.putAll(later);
                return java.util.Collections.unmodifiableMap(out);
            }
        };
    }
}
