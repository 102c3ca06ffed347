package com.sparkvae.job.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The one JSON mapping of the files a run writes: records bound by Jackson, their components in snake case
 * ({@code trainNegElbo} → {@code train_neg_elbo}), in declaration order, an absent {@link OptionalDouble} left out.
 * Readers ignore fields they do not know, so that a later version may add one without breaking older readers, and a
 * field missing from an older file takes its type's default (absent, 0) unless the record says otherwise.
 *
 * <p>Jackson comes with Spark, at each line's own version; OptionalDouble is mapped here because the JDK 8 module
 * is not among Spark's jars.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("spark-vae")
                    .addSerializer(OptionalDouble.class, new OptionalDoubleSerializer())
                    .addDeserializer(OptionalDouble.class, new OptionalDoubleDeserializer()));
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {
    }

    /** One line, no spaces: an entry of {@code metrics.jsonl} or a checkpoint's {@code state.json}. */
    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Indented, for files people read ({@code manifest.json}). */
    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** One value per line, each line ended. */
    public static String lines(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            sb.append(line(v)).append('\n');
        }
        return sb.toString();
    }

    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    public static <T> T read(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /** An object of text values: a run's options as {@code config.json} holds them. */
    public static Map<String, String> readTextMap(byte[] json) throws IOException {
        return MAPPER.readValue(json, new TypeReference<java.util.LinkedHashMap<String, String>>() { });
    }

    private static final class OptionalDoubleSerializer extends JsonSerializer<OptionalDouble> {
        @Override
        public void serialize(OptionalDouble value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value.isPresent()) {
                gen.writeNumber(value.getAsDouble());
            } else {
                gen.writeNull();
            }
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, OptionalDouble value) {
            return value == null || value.isEmpty();
        }
    }

    private static final class OptionalDoubleDeserializer extends JsonDeserializer<OptionalDouble> {
        @Override
        public OptionalDouble deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return OptionalDouble.of(p.getDoubleValue());
        }

        @Override
        public OptionalDouble getNullValue(DeserializationContext ctxt) {
            return OptionalDouble.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return OptionalDouble.empty();
        }
    }
}
