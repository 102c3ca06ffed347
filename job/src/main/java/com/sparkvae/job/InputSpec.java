package com.sparkvae.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One source of rows as the options name it: a URI in a {@code format} (with the reader's {@code readOptions}), or
 * a {@code table} of the session's catalog; an optional SQL filter {@code where}; which columns are the features
 * ({@code features}: names or globs, empty for the default); how CSV headers and bad rows are treated.
 * {@code option} is the option the source came from ({@code input} or {@code test}), for messages.
 */
public record InputSpec(String option, Optional<String> uri, Optional<String> table, InputFormat format,
                        Map<String, String> readOptions, Optional<String> where, Optional<List<String>> features,
                        CsvHeader csvHeader, BadRowPolicy badRows) {

    public InputSpec {
        if (uri.isPresent() == table.isPresent()) {
            throw new IllegalArgumentException(option + ": exactly one of a URI and a table");
        }
        readOptions = Map.copyOf(readOptions);
        features = features.map(List::copyOf);
    }

    /** A URI in the given format, every column a feature, failing on a bad row. */
    public static InputSpec ofUri(String uri, InputFormat format) {
        return new InputSpec("input", Optional.of(uri), Optional.empty(), format, Map.of(), Optional.empty(),
                Optional.empty(), CsvHeader.AUTO, BadRowPolicy.FAIL);
    }

    /** This source with the features chosen by {@code names} (exact names, in order). */
    public InputSpec withFeatures(List<String> names) {
        return new InputSpec(option, uri, table, format, readOptions, where, Optional.of(names), csvHeader, badRows);
    }

    public InputSpec withBadRows(BadRowPolicy policy) {
        return new InputSpec(option, uri, table, format, readOptions, where, features, csvHeader, policy);
    }

    /** The source as messages name it: the URI or {@code table NAME}, and the filter. */
    public String describe() {
        return table.map(t -> "table " + t).orElseGet(() -> Redaction.uri(uri.get()))
                + where.map(w -> " (where " + w + ")").orElse("");
    }
}
