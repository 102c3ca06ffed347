package com.sparkvae.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.CommandConfig;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.CsvHeader;
import com.sparkvae.job.InputFormat;
import com.sparkvae.job.SampleConfig;
import com.sparkvae.job.ScoreConfig;
import com.sparkvae.job.Setting;
import com.sparkvae.job.SettingValues;
import com.sparkvae.job.Settings;
import com.sparkvae.job.SyncMode;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.WriteMode;
import com.sparkvae.model.Activation;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option of every command, as a user gives it: a valid value takes effect in the command's configuration, an
 * invalid one is refused before Spark starts with exit code 2 and one line naming the option and what it accepts.
 */
public class CommandLineTest {
    /** A valid value other than the default, and an invalid value with a part of the message that refuses it. */
    private record Case(String key, String valid, String invalid, String accepts) {
    }

    private static final List<Case> TRAIN = List.of(
            new Case("input", "d/x.csv", null, null),
            new Case("input-table", "db.visits", null, null),
            new Case("test", "d/t.csv", null, null),
            new Case("test-table", "db.holdout", null, null),
            new Case("output", "out/run1", "", "must not be empty"),
            new Case("overwrite", "yes", "maybe", "true or false"),
            new Case("resume", "1", "2", "true or false"),
            new Case("checkpoint-every", "7", "-1", "integer ≥ 0"),
            new Case("model-root", "/m/root", null, null),
            new Case("run-id", "r1", "", "must not be empty"),
            new Case("promote-margin", "0.5", "-1", "number ≥ 0"),
            new Case("keep-runs", "5", "0", "integer ≥ 1"),
            new Case("keep-days", "30", "-2", "positive number"),
            new Case("keep-grace", "1.5", "-1", "number ≥ 0"),
            new Case("init-from", "/models/a", null, null),
            new Case("format", "CSV", "no such", "auto, idx, csv, or the name of a Spark data source"),
            new Case("read-option", "mergeSchema=true", "true", "KEY=VALUE"),
            new Case("where", "day >= '2026-11-30'", null, null),
            new Case("test-where", "day < '2026-11-30'", null, null),
            new Case("features", "id,mean_*", "a,,b", "comma-separated column names"),
            new Case("csv-header", "TRUE", "maybe", "auto, true, false"),
            new Case("bad-rows", "Impute", "ignore", "fail, skip, impute"),
            new Case("scale", "minmax", "log", "auto or a value that is one of none, standard, minmax"),
            new Case("epochs", "3", "0", "integer ≥ 1"),
            new Case("batch-size", "64", "many", "integer ≥ 1"),
            new Case("local-steps", "16", "0", "auto or a value that is an integer ≥ 1"),
            new Case("sync", "gradient", "async", "params, gradient"),
            new Case("rounds", "stage", "tasks", "auto, jobs, stage"),
            new Case("outer", "Nesterov", "slow", "auto or a value that is one of avg, momentum, nesterov"),
            new Case("outer-lr", "0.7", "0", "positive number"),
            new Case("outer-momentum", "0.9", "1", "[0, 1)"),
            new Case("partitions", "4", "0", "integer ≥ 1"),
            new Case("aggregation-depth", "3", "0", "integer ≥ 1"),
            new Case("hidden", "512,256", "4,x", "comma-separated positive integers"),
            new Case("latent-dim", "8", "0", "integer ≥ 1"),
            new Case("activation", "tanh", "sigmoid", "relu, tanh, elu"),
            new Case("likelihood", "gaussian", "poisson", "bernoulli, gaussian"),
            new Case("gaussian-variance", "fixed", "free", "learned, fixed"),
            new Case("gaussian-log-variance", "-1.5", "NaN", "finite number"),
            new Case("samples", "2", "0", "integer ≥ 1"),
            new Case("optimizer", "SGD", "rmsprop", "adam, sgd"),
            new Case("lr", "0.01", "-1", "positive number"),
            new Case("peak-lr", "0.02", "0", "auto or a value that is a positive number"),
            new Case("warmup-epochs", "0.5", "-1", "auto or a value that is a number ≥ 0"),
            new Case("decay-epochs", "2", "x", "auto or a value that is a number"),
            new Case("max-lr-halvings", "1", "-1", "integer ≥ 0"),
            new Case("adam-beta1", "0.8", "1", "[0, 1)"),
            new Case("adam-beta2", "0.99", "-0.1", "[0, 1)"),
            new Case("adam-epsilon", "1e-6", "0", "positive number"),
            new Case("seed", "42", "1.5", "integer"),
            new Case("score-type", "RECON", "bogus", "nll, excess, recon"),
            new Case("contamination", "0.05", "0.6", "[0, 0.5]"),
            new Case("contamination-error", "0", "2", "[0, 1]"));

    private static final List<Case> SCORE = List.of(
            new Case("model", "runs/a", "", "must not be empty"),
            new Case("input", "d/x.csv", null, null),
            new Case("input-table", "db.visits", null, null),
            new Case("where", "site = 'north'", null, null),
            new Case("format", "Parquet", "no such", "auto, idx, csv, or the name of a Spark data source"),
            new Case("read-option", "k=v", "kv", "KEY=VALUE"),
            new Case("features", "a,b", "a,,b", "comma-separated column names"),
            new Case("keep", "id,day", ",", "comma-separated column names"),
            new Case("output", "s.parquet", null, null),
            new Case("output-table", "db.scores", null, null),
            new Case("mode", "append", "upsert", "error, overwrite, append"),
            new Case("partition-by", "day", "a,,b", "comma-separated column names"),
            new Case("samples", "8", "0", "integer ≥ 1"),
            new Case("score-type", "nll", "bogus", "nll, excess, recon"),
            new Case("partitions", "3", "-1", "integer ≥ 0"),
            new Case("csv-header", "false", "maybe", "auto, true, false"),
            new Case("bad-rows", "SKIP", "ignore", "fail, skip, impute"),
            new Case("seed", "7", "x", "integer"),
            new Case("overwrite", "yes", "maybe", "true or false"));

    private static final List<Case> SAMPLE = List.of(
            new Case("model", "runs/a", "", "must not be empty"),
            new Case("output", "s.png", "", "must not be empty"),
            new Case("count", "16", "0", "integer ≥ 1"),
            new Case("seed", "7", "x", "integer"),
            new Case("overwrite", "true", "maybe", "true or false"));

    private static final List<String> SCORE_REQUIRED = List.of("--model", "m", "--input", "i", "--output", "o");
    private static final List<String> SAMPLE_REQUIRED = List.of("--model", "m", "--output", "o");

    @TempDir
    Path dir;

    @Test
    void everyOptionOfEveryCommandIsCovered() {
        assertCovers(TrainSettings.OF_A_RUN, TRAIN);
        assertCovers(JobCommand.SCORE.settings, SCORE);
        assertCovers(JobCommand.SAMPLE.settings, SAMPLE);
    }

    @Test
    void aValidTrainValueTakesEffectTyped() throws Exception {
        for (Case c : TRAIN) {
            TrainConfig cfg = train(List.of("--" + c.key(), c.valid()));
            Setting<?> s = TrainSettings.ALL.byKey(c.key()).orElseThrow();
            assertEquals(formatted(s, c.valid()), cfg.asKeyValues().get(c.key()), c.key());
            assertEquals(formatted(s, c.valid()), train(List.of("--" + c.key() + "=" + c.valid()))
                    .asKeyValues().get(c.key()), c.key() + " written --key=value");
        }
        TrainConfig typed = train(List.of("--format", "CSV", "--csv-header", "TRUE", "--sync", "GRADIENT",
                "--activation", "Tanh", "--overwrite", "yes", "--resume"));
        assertEquals(InputFormat.CSV, typed.format());
        assertEquals(CsvHeader.TRUE, typed.csvHeader());
        assertEquals(SyncMode.GRADIENT, typed.sync());
        assertEquals(Activation.TANH, typed.activation());
        assertTrue(typed.overwrite());
        assertTrue(typed.resume(), "a flag given bare is true");
    }

    @Test
    void aValidScoreOrSampleValueTakesEffectTyped() throws Exception {
        for (Case c : SCORE) {
            ScoreConfig cfg = ScoreConfig.from(SettingValues.of(JobCommand.SCORE.settings,
                    parse(JobCommand.SCORE, withRequired(SCORE_REQUIRED, c))));
            assertEquals(formatted(JobCommand.SCORE.settings.byKey(c.key()).orElseThrow(), c.valid()),
                    component(cfg, c.key()), c.key());
        }
        for (Case c : SAMPLE) {
            SampleConfig cfg = SampleConfig.from(SettingValues.of(JobCommand.SAMPLE.settings,
                    parse(JobCommand.SAMPLE, withRequired(SAMPLE_REQUIRED, c))));
            assertEquals(formatted(JobCommand.SAMPLE.settings.byKey(c.key()).orElseThrow(), c.valid()),
                    component(cfg, c.key()), c.key());
        }
        ScoreConfig score = ScoreConfig.from(SettingValues.of(JobCommand.SCORE.settings, parse(JobCommand.SCORE,
                List.of("--model", "m", "--input", "i", "--output", "o", "--format", "CSV", "--overwrite", "yes"))));
        assertEquals(InputFormat.CSV, score.source().format());
        assertEquals(WriteMode.OVERWRITE, score.mode(), "--overwrite is --mode overwrite");
    }

    @Test
    void booleansAreWrittenTrueYesOrOneAndFalseNoOrZero() throws Exception {
        for (String yes : List.of("true", "yes", "1", "TRUE", "Yes")) {
            assertTrue(train(List.of("--overwrite", yes)).overwrite(), yes);
        }
        for (String no : List.of("false", "no", "0", "No")) {
            assertFalse(train(List.of("--overwrite", no)).overwrite(), no);
        }
        assertTrue(train(List.of("--overwrite", "--epochs", "2")).overwrite(), "a bare flag before another option");
    }

    @Test
    void anInvalidValueExitsWithCodeTwoAndOneLineNamingTheOptionAndWhatItAccepts() {
        assertRefused("train", List.of(), TRAIN);
        assertRefused("score", SCORE_REQUIRED, SCORE);
        assertRefused("sample", SAMPLE_REQUIRED, SAMPLE);
    }

    @Test
    void unknownOptionsMissingRequiredOnesAndStrayWordsGetOneLine() {
        assertOneLineError(List.of("train", "--epoch", "3"), "unknown option '--epoch' (did you mean --epochs?)");
        assertOneLineError(List.of("score", "--model", "m"), "input: required (--input URI or --input-table NAME)");
        assertOneLineError(List.of("train", "--epochs", "3", "four"), "unexpected argument 'four'");
        assertOneLineError(List.of("fit"), "unknown command 'fit'; available: train, score, sample");
    }

    @Test
    void commandLineOverridesTheConfigFileWhichOverridesTheDefaults() throws Exception {
        Path conf = Files.writeString(dir.resolve("my.conf"), "# a comment\nepochs = 3\nlr = 0.01\nformat = CSV\n");
        TrainConfig cfg = train(List.of("--conf", conf.toString(), "--epochs", "5"));
        assertEquals(5, cfg.epochs());
        assertEquals(0.01, cfg.lr());
        assertEquals(InputFormat.CSV, cfg.format(), "the file's values are typed like the command line's");
        assertEquals(128, cfg.batchSize());
    }

    @Test
    void theConfigFileIsCheckedLineByLine() {
        assertFileRefused("epochz = 3\n", "x.conf:1: unknown option 'epochz'");
        assertFileRefused("\nbatch-size = 0\n", "x.conf:2: batch-size: must be an integer ≥ 1 (got '0')");
        assertFileRefused("format csv\n", "x.conf:1: expected 'key = value'");
        assertFileRefused("conf = other.conf\n", "x.conf:1: a config file cannot name another config file");
        ConfigException missing = assertThrows(ConfigException.class,
                () -> train(List.of("--conf", dir.resolve("none.conf").toString())));
        assertTrue(missing.getMessage().startsWith("conf: no such file"), missing.getMessage());
    }

    @Test
    void theShippedConfigFileSetsEveryOptionToItsDefault() throws Exception {
        Map<Setting<?>, Object> file;
        try (BufferedReader in = Files.newBufferedReader(Path.of("../conf/vae.conf"))) {
            file = ConfigFile.parse(in, "conf/vae.conf", TrainSettings.ALL);
        }
        Set<Setting<?>> all = new HashSet<>(TrainSettings.OF_A_RUN.all());
        // The data's defaults go together (the held-out set with the bundled training set), so the file leaves
        // them to the job; it names them in comments.
        all.removeAll(List.of(TrainSettings.INPUT, TrainSettings.TEST));
        assertEquals(all, file.keySet());
        for (Map.Entry<Setting<?>, Object> e : file.entrySet()) {
            assertEquals(e.getKey().parse(e.getKey().defaultText()), e.getValue(), e.getKey().key());
        }
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        for (JobCommand command : JobCommand.values()) {
            String help = new OptionParser(command).usage();
            for (Setting<?> s : command.settings.all()) {
                assertTrue(help.contains(s.flag()), command + " --help lacks " + s.flag());
                if (!s.isRequired() && !s.defaultText().isEmpty()) {
                    assertTrue(help.contains("Default: " + s.defaultText()), s.key() + "'s default in " + help);
                }
            }
        }
    }

    @Test
    void aModelRootPlacesTheRunAndNeedsAHeldOutSet() throws Exception {
        TrainConfig cfg = train(List.of("--model-root", "/m/root/", "--run-id", "r7"));
        assertEquals("/m/root/runs/r7", cfg.output());
        assertEquals("/m/root", cfg.modelRoot().orElseThrow());
        assertOneLineError(List.of("train", "--model-root", "/m", "--test", "none"), "model-root: ");
        assertOneLineError(List.of("train", "--model-root", "/m", "--output", "o"),
                "output: give either --output or --model-root, not both");
        assertOneLineError(List.of("train", "--init-from", "latest"), "init-from: 'latest' needs --model-root");
    }

    @Test
    void aSavedConfigurationReadsBackAsTheSameConfiguration() throws Exception {
        List<String> args = new ArrayList<>();
        for (Case c : TRAIN) {
            if (List.of("model-root", "sync", "input-table", "test-table").contains(c.key())) {
                continue;   // model-root replaces --output (aModelRootPlacesTheRun covers it), tables replace --input
                            // and --test; gradient has no outer step
            }
            args.add("--" + c.key());
            args.add(c.valid());
        }
        TrainConfig cfg = train(args);
        assertEquals(cfg, TrainConfig.fromKeyValues(cfg.asKeyValues(), "in the test"));
    }

    @Test
    void urisAreQualifiedOnTheDriverAgainstTheDefaultFileSystemAndWorkingDirectory() throws Exception {
        UriQualifier local = new UriQualifier(new Configuration());
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals("file:" + cwd + "/data/x.csv", local.qualify("input", "data/x.csv"));
        assertEquals("file:/abs/y", local.qualify("input", "/abs/y"));
        assertEquals("file:" + cwd + "/shipped.conf", local.qualify("conf", "file:shipped.conf"),
                "file:name: in the driver's working directory, where YARN puts the files given with --files");
        assertEquals("hdfs://nn:8020/d/z", local.qualify("input", "hdfs://nn:8020/d/z"));
        Configuration onHdfs = new Configuration();
        onHdfs.set("fs.defaultFS", "hdfs://127.0.0.1:8020");   // an address, not a name: nothing is resolved
        String user = org.apache.hadoop.security.UserGroupInformation.getCurrentUser().getShortUserName();
        assertEquals("hdfs://127.0.0.1:8020/user/" + user + "/runs/a", new UriQualifier(onHdfs).qualify("output", "runs/a"));
        ConfigException unknown = assertThrows(ConfigException.class, () -> local.qualify("test", "nosuch://x/y"));
        assertTrue(unknown.getMessage().startsWith("test: cannot use 'nosuch://x/y'"), unknown.getMessage());

        TrainConfig cfg = train(List.of("--input", "in.csv", "--test", "t.csv", "--model-root", "models",
                "--init-from", "latest")).withUris(local::qualify);
        assertEquals("file:" + cwd + "/in.csv", cfg.trainSource().uri().orElseThrow());
        assertEquals("file:" + cwd + "/models", cfg.modelRoot().orElseThrow());
        assertTrue(cfg.output().startsWith("file:" + cwd + "/models/runs/"), cfg.output());
        assertEquals("latest", cfg.initFrom().orElseThrow(), "the keyword stays a keyword");
    }

    @Test
    void everyOptionDeclaredAsAUriIsQualifiedAndNoOther() throws Exception {
        for (String root : List.of("", "rel/root")) {
            List<String> args = new ArrayList<>();
            for (Setting<?> s : TrainSettings.OF_A_RUN.all()) {
                if (s.isUri() && !(root.isEmpty() && s == TrainSettings.MODEL_ROOT)
                        && !(!root.isEmpty() && s == TrainSettings.OUTPUT)) {
                    args.addAll(List.of(s.flag(), s == TrainSettings.MODEL_ROOT ? root : "rel/" + s.key()));
                }
            }
            Map<String, String> qualified = train(args).withUris((key, uri) -> "q:" + uri).asKeyValues();
            for (Setting<?> s : TrainSettings.OF_A_RUN.all()) {
                String value = qualified.get(s.key());
                if (!value.isEmpty()) {   // the model root when none is given
                    assertEquals(s.isUri(), value.startsWith("q:"), s.key() + " = " + value);
                }
            }
        }
        TrainConfig latest = train(List.of("--model-root", "r", "--init-from", "latest"))
                .withUris((key, uri) -> "q:" + uri);
        assertEquals("latest", latest.initFrom().orElseThrow(), "the keyword stays a keyword");
    }

    @Test
    void whatARunWritesDownHidesSecrets() throws Exception {
        TrainConfig cfg = train(List.of("--input", "s3a://AKIAEXAMPLE:TOPSECRET@bucket/visits.parquet",
                "--read-option", "user=etl", "--read-option", "password=TOPSECRET,fs.s3a.secret.key=TOPSECRET"));
        Map<String, String> written = cfg.asKeyValues();
        assertEquals("user=etl,password=*********(redacted),fs.s3a.secret.key=*********(redacted)",
                written.get("read-option"));
        assertEquals("s3a://AKIAEXAMPLE:*********(redacted)@bucket/visits.parquet", written.get("input"));
        assertFalse(written.toString().contains("TOPSECRET"), written.toString());
        assertEquals("TOPSECRET", cfg.trainSource().readOptions().get("password"), "the job itself has the value");
    }

    @Test
    void theOutputsTimestampIsFilledIn() throws Exception {
        assertTrue(train(List.of()).output().matches("runs/\\d{8}-\\d{6}"));
    }

    private TrainConfig train(List<String> args) throws Exception {
        // conf/vae.conf is relative to the project; from the module directory no default file is found, so only
        // the built-in defaults and the given options count.
        return Main.trainConfig(parse(JobCommand.TRAIN, args), new Configuration(),
                java.time.LocalDateTime.now());
    }

    private static Map<Setting<?>, Object> parse(JobCommand command, List<String> args) {
        return new OptionParser(command).parse(args).orElseThrow();
    }

    private static List<String> withRequired(List<String> required, Case c) {
        List<String> args = new ArrayList<>(required);
        for (String replaced : List.of("input", "output")) {   // a table replaces the URI option
            if (c.key().equals(replaced + "-table") && args.contains("--" + replaced)) {
                args.subList(args.indexOf("--" + replaced), args.indexOf("--" + replaced) + 2).clear();
            }
        }
        int at = args.indexOf("--" + c.key());
        if (at >= 0) {
            args.set(at + 1, c.valid());
        } else {
            args.addAll(List.of("--" + c.key(), c.valid()));
        }
        return args;
    }

    private static String formatted(Setting<?> s, String text) {
        return formatAny(s, s.parse(text));
    }

    @SuppressWarnings("unchecked")
    private static <T> String formatAny(Setting<T> s, Object value) {
        return s.format((T) value);
    }

    /** The configuration's value of the setting {@code key}, as its setting formats it. */
    private static String component(CommandConfig config, String key) {
        return config.asKeyValues().get(key);
    }

    private static void assertCovers(Settings settings, List<Case> cases) {
        Set<String> keys = settings.all().stream().map(Setting::key).collect(Collectors.toSet());
        assertEquals(keys, cases.stream().map(Case::key).collect(Collectors.toSet()));
    }

    private static void assertRefused(String command, List<String> required, List<Case> cases) {
        for (Case c : cases) {
            if (c.invalid() == null) {
                continue;   // any text is a URI
            }
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(withRequired(required, new Case(c.key(), c.invalid(), null, null)));
            String err = assertOneLineError(args, c.key() + ": ");
            assertTrue(err.contains(c.accepts()), c.key() + ": " + err);
            assertTrue(err.contains("(got '" + c.invalid() + "')"), c.key() + ": " + err);
        }
    }

    private static String assertOneLineError(List<String> args, String expected) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
        String err = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, args + ": " + err);
        assertEquals(1, err.lines().count(), args + " printed more than one line: " + err);
        assertTrue(err.startsWith("error: " + expected), args + ": " + err);
        return err;
    }

    private static void assertFileRefused(String text, String expected) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFile.parse(new BufferedReader(new StringReader(text)), "x.conf", TrainSettings.ALL));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
