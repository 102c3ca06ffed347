package com.sparkvae.job.cli;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.train.ScheduleRule;
import java.util.List;
import java.util.function.Function;

/**
 * One setting of the job, declared once: its key (the config-file key, and {@code --key} on the command line), its
 * documentation, its default (as text, parsed like any other value), and a parser that validates and says what is
 * allowed when it refuses.
 */
public record OptionDef<T>(String key, String valueHint, String defaultText, String doc, Function<String, T> parser) {

    /** Parses {@code text} or throws a {@link ConfigException} naming the key and what it accepts. */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": " + e.getMessage() + " (got '" + text + "')");
        }
    }

    /** The flag spelling, {@code --key}. */
    public String flag() {
        return "--" + key;
    }

    // Parsers, each saying what it accepts when it refuses.

    static Function<String, Integer> intAtLeast(int min) {
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

    static Function<String, Boolean> bool() {
        return s -> switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    /** A boolean option may be given as a bare flag ({@code --resume}) on the command line. */
    public boolean isFlag() {
        return valueHint.isEmpty();
    }

    static Function<String, Long> anyLong() {
        return s -> {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer");
            }
        };
    }

    static Function<String, Double> positiveDouble() {
        return s -> {
            double v = parseDouble(s);
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("must be a positive number");
            }
            return v;
        };
    }

    static Function<String, Double> nonNegativeDouble() {
        return s -> {
            double v = parseDouble(s);
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("must be a number ≥ 0");
            }
            return v;
        };
    }

    static Function<String, Double> finiteDouble() {
        return s -> {
            double v = parseDouble(s);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("must be a finite number");
            }
            return v;
        };
    }

    static Function<String, Double> unitInterval() {
        return s -> {
            double v = parseDouble(s);
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException("must lie in [0, 1)");
            }
            return v;
        };
    }

    static Function<String, String> oneOf(String... allowed) {
        return s -> {
            String lower = s.toLowerCase(java.util.Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(lower)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
        };
    }

    /** 'auto' (empty: the job chooses, see {@link ScheduleRule}) or a value {@code parser} accepts. */
    static <T> Function<String, java.util.Optional<T>> autoOr(Function<String, T> parser) {
        return s -> {
            if (s.equalsIgnoreCase("auto")) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(parser.apply(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be auto or a value that " + e.getMessage()
                        .replaceFirst("^(must be|expected) ", "is "));
            }
        };
    }

    static Function<String, String> text() {
        return s -> s;
    }

    static Function<String, List<Integer>> positiveIntList() {
        return s -> {
            if (s.isEmpty()) {
                return List.of();
            }
            String[] parts = s.split(",");
            Integer[] out = new Integer[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    out[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected comma-separated positive integers such as 400 or 512,256");
                }
                if (out[i] < 1) {
                    throw new IllegalArgumentException("layer sizes must be positive integers");
                }
            }
            return List.of(out);
        };
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number");
        }
    }
}
