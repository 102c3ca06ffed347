package com.sparkvae.job;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point for spark-submit: {@code [train] [options]}. Options are validated before Spark starts. Exit codes:
 * 0 success (and, with --model-root, promoted), 5 trained but not promoted, 2 bad configuration or command line,
 * 3 bad input data, 4 training diverged, 1 anything else.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final List<String> COMMANDS = List.of("train", "score", "sample");
    /** Exit code of a run that finished but did not pass the promotion gate. */
    static final int NOT_PROMOTED = 5;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args) {
        try {
            SparkLine.requireCompatible();
            List<String> rest = Arrays.asList(args);
            String command = "train";
            if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
                command = rest.get(0);
                rest = rest.subList(1, rest.size());
                if (!COMMANDS.contains(command)) {
                    throw new ConfigException("unknown command '" + command + "'; available: " + COMMANDS);
                }
            }
            if (command.equals("score") || command.equals("sample")) {
                return runModelCommand(command, rest);
            }
            if (rest.contains("--help") || rest.contains("-h")) {
                System.out.print(TrainOptions.help());
                return 0;
            }
            TrainConfig cfg = parseTrain(rest, new Configuration());
            SparkSession spark = SparkSession.builder().config(sparkConf()).getOrCreate();
            try {
                return TrainJob.run(spark, cfg).promoted() ? 0 : NOT_PROMOTED;
            } finally {
                spark.stop();
            }
        } catch (Throwable t) {
            return report(t);
        }
    }

    private static int runModelCommand(String command, List<String> args) throws IOException {
        List<OptionDef<?>> defs = command.equals("score") ? ModelCommandOptions.SCORE : ModelCommandOptions.SAMPLE;
        if (args.contains("--help") || args.contains("-h")) {
            System.out.print("Usage: submit.sh [spark-submit options] " + command + " [options]\n\n"
                    + (command.equals("score")
                    ? "Scores rows with a trained model: per row its id, negative ELBO, an importance-sampled\n"
                    + "estimate of -log p(x), and latent mean, written as Parquet.\n\nOptions:\n"
                    : "Draws t ~ N(0, I), decodes them, and writes the grid of images as a PNG.\n\nOptions:\n")
                    + TrainOptions.optionList(defs));
            return 0;
        }
        Map<String, String> opts = ModelCommandOptions.resolve(defs, parseFlags(defs, args),
                command.equals("score") ? List.of("model", "input", "output") : List.of("model", "output"));
        if (command.equals("sample")) {
            SampleJob.run(new Configuration(), opts);
            return 0;
        }
        SparkSession spark = SparkSession.builder().config(sparkConf().setAppName("spark-vae score")).getOrCreate();
        try {
            ScoreJob.run(spark, opts);
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** Merges the config file and the command line into a validated configuration. */
    static TrainConfig parseTrain(List<String> args, Configuration hadoop) throws IOException {
        Map<String, String> cli = parseFlags(args);
        String confUri = cli.getOrDefault(TrainOptions.CONF.key(), TrainOptions.CONF.defaultText());
        boolean explicit = cli.containsKey(TrainOptions.CONF.key());
        cli.remove(TrainOptions.CONF.key());
        Map<String, String> fromFile = Map.of();
        Path confPath = new Path(confUri);
        if (confPath.getFileSystem(hadoop).exists(confPath)) {
            fromFile = ConfigFile.read(confUri, hadoop);
        } else if (explicit) {
            throw new ConfigException("conf: no such file '" + confUri + "'");
        }
        return TrainOptions.resolve(fromFile, cli);
    }

    static Map<String, String> parseFlags(List<String> args) {
        return parseFlags(TrainOptions.ALL, args);
    }

    static Map<String, String> parseFlags(List<OptionDef<?>> defs, List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new ConfigException("unexpected argument '" + a + "'; options look like --key value");
            }
            String key;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                key = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                key = a.substring(2);
                OptionDef<?> def = TrainOptions.byKey(defs, key, "on the command line");
                if (def.isFlag() && (i + 1 >= args.size() || args.get(i + 1).startsWith("--"))) {
                    value = "true";
                } else if (i + 1 >= args.size()) {
                    throw new ConfigException(a + " needs a value");
                } else {
                    value = args.get(++i);
                }
            }
            TrainOptions.byKey(defs, key, "on the command line");
            out.put(key, value);
        }
        return out;
    }

    /** spark-submit sets the master; run directly (e.g. from an IDE), the job uses local mode. */
    private static SparkConf sparkConf() {
        SparkConf conf = new SparkConf().setAppName("spark-vae train");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return withRoundDefaults(conf);
    }

    /**
     * Two defaults that suit a job shipping a few megabytes of floats each way every round (a user's own setting
     * wins): broadcasts are not compressed (floats barely compress, and compressing costs time every round), and
     * task results up to 64 MB travel directly rather than through the block manager. Returns {@code conf}.
     */
    static SparkConf withRoundDefaults(SparkConf conf) {
        conf.setIfMissing("spark.broadcast.compress", "false");
        conf.setIfMissing("spark.task.maxDirectResultSize", "64m");
        return conf;
    }

    private static int report(Throwable t) {
        Throwable known = t;
        try {
            TaskFailures.rethrowJobException(t);
        } catch (ConfigException | DataException e) {
            known = e;
        }
        if (known instanceof ConfigException) {
            System.err.println("error: " + known.getMessage());
            return 2;
        }
        if (known instanceof DataException) {
            LOG.error("bad input data", t);
            System.err.println("error: " + known.getMessage());
            return 3;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TrainingDivergedException) {
                LOG.error("training diverged", t);
                System.err.println("error: " + c.getMessage());
                return 4;
            }
        }
        LOG.error("spark-vae failed", t);
        System.err.println("error: " + t + " (see the log above for the stack trace)");
        return 1;
    }
}
