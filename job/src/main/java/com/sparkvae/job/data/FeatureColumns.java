package com.sparkvae.job.data;

import com.sparkvae.job.ConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The feature columns of a table, resolved on the driver against its schema: numeric columns in order, or one vector
 * or numeric-array column ({@code vector}). {@code identity} names up to three other plain columns whose values
 * identify a row in messages (an ID, a date).
 */
public record FeatureColumns(List<String> names, boolean vector, List<String> identity) implements Serializable {
    private static final int IDENTITY_COLUMNS = 3;
    private static final int COLUMNS_LISTED = 30;

    public FeatureColumns {
        names = List.copyOf(names);
        identity = List.copyOf(identity);
    }

    /**
     * The features {@code patterns} name: exact names (case-insensitive, as Spark's SQL) or globs ({@code *},
     * {@code ?}), in the order given, a glob's matches in the table's order. A glob takes the numeric (or vector)
     * columns it matches. Without patterns: the one vector or numeric-array column if there is exactly one, else
     * every numeric column. A named column that is missing or not numeric, a glob that matches no numeric column,
     * or a vector beside other features is a {@link ConfigException} naming the column and listing the table's.
     */
    public static FeatureColumns resolve(StructType schema, Optional<List<String>> patterns, String source) {
        List<StructField> fields = List.of(schema.fields());
        List<String> chosen = new ArrayList<>();
        if (patterns.isEmpty()) {
            List<String> vectors = fields.stream().filter(f -> isVectorLike(f.dataType())).map(StructField::name)
                    .toList();
            List<String> numeric = fields.stream().filter(f -> f.dataType() instanceof NumericType)
                    .map(StructField::name).toList();
            if (vectors.size() == 1) {
                chosen.add(vectors.get(0));
            } else if (!numeric.isEmpty()) {
                chosen.addAll(numeric);
            } else {
                throw new ConfigException("features: " + source + " has no numeric column and "
                        + (vectors.isEmpty() ? "no" : "several") + " vector or array columns; name the features "
                        + "with --features (" + columns(schema) + ")");
            }
        } else {
            Set<String> named = new LinkedHashSet<>();
            for (String pattern : patterns.get()) {
                named.addAll(match(fields, pattern, source, schema));
            }
            chosen.addAll(named);
        }
        boolean vector = chosen.stream().anyMatch(n -> isVectorLike(schema.apply(n).dataType()));
        if (vector && chosen.size() > 1) {
            throw new ConfigException("features: a vector or array column must be the only feature, but "
                    + source + " gives " + chosen);
        }
        Set<String> features = new LinkedHashSet<>(chosen);
        List<String> identity = fields.stream().filter(f -> !features.contains(f.name()) && isPlain(f.dataType()))
                .limit(IDENTITY_COLUMNS).map(StructField::name).toList();
        return new FeatureColumns(chosen, vector, identity);
    }

    /** The columns of {@code schema} a name or glob names, case-insensitively, in the schema's order. */
    public static List<String> matching(StructType schema, String pattern) {
        Pattern regex = Pattern.compile(globRegex(pattern), Pattern.CASE_INSENSITIVE);
        return java.util.Arrays.stream(schema.fieldNames()).filter(n -> regex.matcher(n).matches()).toList();
    }

    private static List<String> match(List<StructField> fields, String pattern, String source, StructType schema) {
        boolean glob = pattern.contains("*") || pattern.contains("?");
        List<String> names = matching(schema, pattern);
        List<StructField> matched = fields.stream().filter(f -> names.contains(f.name())).toList();
        if (glob) {
            List<String> usable = matched.stream()
                    .filter(f -> f.dataType() instanceof NumericType || isVectorLike(f.dataType()))
                    .map(StructField::name).toList();
            if (usable.isEmpty()) {
                throw new ConfigException("features: '" + pattern + "' matches no numeric column of " + source
                        + " (" + columns(schema) + ")");
            }
            return usable;
        }
        if (matched.isEmpty()) {
            throw new ConfigException("features: no column '" + pattern + "' in " + source + " (" + columns(schema)
                    + ")");
        }
        StructField f = matched.get(0);
        if (!(f.dataType() instanceof NumericType) && !isVectorLike(f.dataType())) {
            throw new ConfigException("features: column '" + f.name() + "' of " + source + " is "
                    + f.dataType().simpleString() + ", not numeric (" + columns(schema) + ")");
        }
        return List.of(f.name());
    }

    private static String globRegex(String glob) {
        StringBuilder out = new StringBuilder();
        for (char c : glob.toCharArray()) {
            out.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return out.toString();
    }

    /** The table's columns with their types, for messages; the first few of a wide table. */
    static String columns(StructType schema) {
        StructField[] f = schema.fields();
        String listed = java.util.Arrays.stream(f).limit(COLUMNS_LISTED)
                .map(x -> x.name() + " " + x.dataType().simpleString()).collect(Collectors.joining(", "));
        return "its columns: " + listed + (f.length > COLUMNS_LISTED ? ", and " + (f.length - COLUMNS_LISTED)
                + " more" : "");
    }

    static boolean isVectorLike(DataType type) {
        if (type instanceof ArrayType array) {
            return array.elementType() instanceof NumericType;
        }
        return type.typeName().toLowerCase(Locale.ROOT).equals("vector");
    }

    private static boolean isPlain(DataType type) {
        return type instanceof StringType || type instanceof NumericType || type instanceof DateType
                || type instanceof TimestampType || type instanceof BooleanType;
    }

    /** A reader of these features from rows of {@code schema} (which holds them, and the identity columns). */
    public RowReader readerFor(StructType schema, String source) {
        return new RowReader(this, schema, source);
    }
}
