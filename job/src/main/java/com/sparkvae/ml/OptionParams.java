package com.sparkvae.ml;

import com.sparkvae.job.ScoreSettings;
import com.sparkvae.job.Setting;
import com.sparkvae.job.Settings;
import com.sparkvae.job.TrainSettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * The job's options as Spark ML Params, declared from the same {@link Setting}s as the command line, so that the
 * two cannot drift: a Param is named after its option in camelCase ({@code latent-dim} is {@code latentDim}), its
 * default is the option's default, and it accepts what the option's converter accepts.
 *
 * <p>Every {@code train} option is a Param of {@link VaeEstimator} except those with
 * {@link Setting.Trait#COMMAND_ONLY}: where the rows come from and how they are read (the DataFrame given to
 * {@code fit} replaces them), and where a run goes and what happens around it (Spark ML's persistence replaces them).
 *
 * <p>A Param's type follows the option's values: whole numbers are {@link IntParam}s or {@link LongParam}s, other
 * numbers {@link DoubleParam}s, a list of sizes an {@link IntArrayParam}, and every other option (a choice, or
 * {@code auto} or a value) keeps its text, as the command line takes it.
 */
final class OptionParams {
    private OptionParams() {
    }

    /** Which commands' settings a Param is declared from, so that its validation can find the setting again. */
    enum Command {
        TRAIN(TrainSettings.ALL),
        SCORE(ScoreSettings.SCORE);

        private final Settings settings;

        Command(Settings settings) {
            this.settings = settings;
        }

        Setting<?> setting(String key) {
            return settings.byKey(key).orElseThrow();
        }
    }

    /** Whether the estimator has a Param for this {@code train} option. */
    static boolean isParam(Setting<?> s) {
        return !s.has(Setting.Trait.COMMAND_ONLY);
    }

    /** The {@code train} options that are the estimator's Params, in declaration order. */
    static List<Setting<?>> trainParams() {
        return TrainSettings.ALL.all().stream().filter(OptionParams::isParam).toList();
    }

    /** An option's key in camelCase: {@code adam-beta1} is {@code adamBeta1}. */
    static String name(String key) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** The Param of setting {@code key} of {@code command}, named {@code name}, owned by {@code parent}. */
    static Param<?> create(Params parent, Command command, String key, String name) {
        Setting<?> s = command.setting(key);
        String doc = s.doc();
        Object example = defaultValue(s);
        if (example instanceof Integer) {
            return new IntParam(parent, name, doc, new SettingCheck<>(command, key));
        }
        if (example instanceof Long) {
            return new LongParam(parent, name, doc, new SettingCheck<>(command, key));
        }
        if (example instanceof Double) {
            return new DoubleParam(parent, name, doc, new SettingCheck<>(command, key));
        }
        if (example instanceof int[]) {
            return new IntArrayParam(parent, name, doc, new SettingCheck<int[]>(command, key));
        }
        return TextParams.create(parent, name, doc, new SettingCheck<String>(command, key));
    }

    /** The option's default as its Param holds it. */
    static Object defaultValue(Setting<?> s) {
        return paramValue(s, s.defaultText());
    }

    /** {@code text}, parsed by the option, as its Param holds it. */
    static Object paramValue(Setting<?> s, String text) {
        Object typed = s.parse(text);
        if (typed instanceof Integer || typed instanceof Long || typed instanceof Double) {
            return typed;
        }
        if (typed instanceof List<?> list && list.stream().allMatch(Integer.class::isInstance)
                && !s.has(Setting.Trait.REPEATABLE)) {
            return list.stream().mapToInt(Integer.class::cast).toArray();
        }
        return formatted(s, typed);
    }

    @SuppressWarnings("unchecked")
    private static <T> String formatted(Setting<T> s, Object value) {
        return s.format((T) value);
    }

    /** A Param's value as the option's text: what the command line and config files take. */
    static String text(Object value) {
        if (value instanceof int[] sizes) {
            return Arrays.stream(sizes).mapToObj(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    /**
     * Refuses a value the option refuses, in one line naming the Param, the rule and the value (Spark's own
     * refusal, through {@link Param#isValid}, says only that the value is invalid).
     */
    static void check(Command command, String key, String name, Object value) {
        try {
            command.setting(key).converter().parse(text(value).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage() + " (got '" + text(value) + "')");
        }
    }

    /**
     * A message of the job's with its options named as the Params are: {@code --bad-rows impute} becomes
     * {@code badRows impute}, and a leading {@code bad-rows:} becomes {@code badRows:}. Longer keys go first, so
     * that {@code --test-where} is not taken for {@code --test}.
     */
    static String inParamTerms(String message) {
        List<Setting<?>> byLength = new ArrayList<>(TrainSettings.ALL.all());
        byLength.sort((a, b) -> b.key().length() - a.key().length());
        String out = message;
        for (Setting<?> s : byLength) {
            out = out.replace("--" + s.key(), name(s.key()));
            if (out.startsWith(s.key() + ": ")) {
                out = name(s.key()) + out.substring(s.key().length());
            }
        }
        return out;
    }

    /** The names of {@code settings} as Params. */
    static List<String> names(List<Setting<?>> settings) {
        List<String> out = new ArrayList<>();
        settings.forEach(s -> out.add(name(s.key())));
        return out;
    }

    /**
     * A Param's validation: whether the option's converter accepts the value's text. Serializable like the Param
     * that holds it, so it names its setting rather than holding it.
     */
    static final class SettingCheck<T> extends AbstractFunction1<T, Object> implements Serializable {
        private final Command command;
        private final String key;

        SettingCheck(Command command, String key) {
            this.command = command;
            this.key = key;
        }

        @Override
        public Object apply(T value) {
            try {
                command.setting(key).converter().parse(text(value).trim());
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
