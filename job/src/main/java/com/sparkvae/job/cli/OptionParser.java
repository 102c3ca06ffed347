package com.sparkvae.job.cli;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * A command's options on the command line, through picocli: each {@link Setting} becomes an option whose values its
 * own converter types and checks, so the command line, the config file and saved runs accept the same values. Help
 * is generated from the settings' documentation and defaults.
 */
final class OptionParser {
    private final JobCommand command;
    private final CommandSpec spec;

    OptionParser(JobCommand command) {
        this.command = command;
        this.spec = CommandSpec.create().name(command.word());
        spec.usageMessage()
                .customSynopsis("submit.sh [spark-submit options] " + command.word() + " [options]")
                .description(command.summary)
                .sortOptions(false)
                .width(110)
                .optionListHeading("%nOptions:%n");
        for (Setting<?> s : command.settings.all()) {
            OptionSpec.Builder option = OptionSpec.builder(s.flag())
                    .type(Object.class)   // not Boolean for flags: picocli would then take only true/false after one
                    .converters(text -> convert(s, text))
                    .description(s.doc().replace("%", "%%"))   // picocli formats descriptions
                    .required(s.isRequired());
            if (s.isFlag()) {
                option.arity("0..1").fallbackValue("true").paramLabel("true|false");
            } else if (s.has(Setting.Trait.REPEATABLE)) {
                // Each occurrence converted on its own; parse() merges them in order.
                option.type(List.class).auxiliaryTypes(Object.class).arity("1").paramLabel(s.valueHint());
            } else {
                option.arity("1").paramLabel(s.valueHint());
            }
            if (!s.isRequired()) {
                option.defaultValue(s.defaultText()).showDefaultValue(Visibility.ALWAYS);
            }
            spec.addOption(option.build());
        }
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Print this text.").build());
    }

    private static Object convert(Setting<?> s, String text) {
        try {
            return s.converter().parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    s.key() + ": " + e.getMessage() + " (got '" + text + "')");
        }
    }

    /** The options given, typed; empty when {@code --help} was asked for. A mistake is a {@link ConfigException}. */
    Optional<Map<Setting<?>, Object>> parse(List<String> args) {
        CommandLine.ParseResult result;
        try {
            result = new CommandLine(spec).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new ConfigException(oneLine(e));
        }
        if (result.isUsageHelpRequested()) {
            return Optional.empty();
        }
        Map<Setting<?>, Object> given = new LinkedHashMap<>();
        for (Setting<?> s : command.settings.all()) {
            if (result.hasMatchedOption(s.flag())) {
                Object value = result.matchedOption(s.flag()).getValue();
                given.put(s, s.has(Setting.Trait.REPEATABLE) ? merged(s, (List<?>) value) : value);
            }
        }
        return Optional.of(given);
    }

    /** The values of a repeated option, merged in the order given. */
    @SuppressWarnings("unchecked")
    private static <T> T merged(Setting<T> s, List<?> values) {
        T out = (T) values.get(0);
        for (Object v : values.subList(1, values.size())) {
            out = s.converter().merge(out, (T) v);
        }
        return out;
    }

    String usage() {
        StringWriter out = new StringWriter();
        new CommandLine(spec).usage(new PrintWriter(out));
        return out.toString();
    }

    /** picocli's message, reworded to name the option the way the config file does. */
    private String oneLine(CommandLine.ParameterException e) {
        if (e.getCause() instanceof CommandLine.TypeConversionException t) {
            return t.getMessage();
        }
        if (e instanceof CommandLine.MissingParameterException m) {
            return m.getMissing().stream().map(a -> ((OptionSpec) a).longestName().substring(2) + ": required ("
                    + ((OptionSpec) a).longestName() + " " + a.paramLabel() + ")").collect(Collectors.joining("; "));
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (!arg.startsWith("-")) {
                return "unexpected argument '" + arg + "'; options look like --key value (" + command.word()
                        + " --help lists them)";
            }
            List<String> near = u.getSuggestions();
            return "unknown option '" + arg + "'" + (near.isEmpty() ? "" : " (did you mean " + near.get(0) + "?)")
                    + "; " + command.word() + " --help lists the options";
        }
        return e.getMessage();
    }
}
