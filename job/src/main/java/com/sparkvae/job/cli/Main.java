package com.sparkvae.job.cli;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.SampleConfig;
import com.sparkvae.job.ScoreConfig;
import com.sparkvae.job.Setting;
import com.sparkvae.job.SettingValues;
import com.sparkvae.job.TaskFailures;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.TrainingDivergedException;
import com.sparkvae.job.cluster.SparkDefaults;
import com.sparkvae.job.cluster.SparkLine;
import com.sparkvae.job.score.SampleJob;
import com.sparkvae.job.score.ScoreJob;
import com.sparkvae.job.train.TrainJob;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
            JobCommand command = JobCommand.TRAIN;
            if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
                String word = rest.get(0);
                command = JobCommand.byWord(word).orElseThrow(() -> new ConfigException("unknown command '" + word
                        + "'; available: train, score, sample"));
                rest = rest.subList(1, rest.size());
            }
            OptionParser parser = new OptionParser(command);
            Optional<Map<Setting<?>, Object>> given = parser.parse(rest);
            if (given.isEmpty()) {
                System.out.print(parser.usage());
                return 0;
            }
            return switch (command) {
                case TRAIN -> train(trainConfig(given.get(), new Configuration()));
                case SCORE -> score(ScoreConfig.from(SettingValues.of(command.settings, given.get())));
                case SAMPLE -> {
                    SampleJob.run(new Configuration(), SampleConfig.from(SettingValues.of(command.settings,
                            given.get())));
                    yield 0;
                }
            };
        } catch (Throwable t) {
            return report(t);
        }
    }

    private static int train(TrainConfig cfg) throws IOException {
        SparkSession spark = SparkSession.builder().config(sparkConf("spark-vae train")).getOrCreate();
        try {
            return TrainJob.run(spark, cfg).promoted() ? 0 : NOT_PROMOTED;
        } finally {
            spark.stop();
        }
    }

    private static int score(ScoreConfig cfg) throws IOException {
        SparkSession spark = SparkSession.builder().config(sparkConf("spark-vae score")).getOrCreate();
        try {
            ScoreJob.run(spark, cfg);
            return 0;
        } finally {
            spark.stop();
        }
    }

    /**
     * The configuration of {@code train}: the options given on the command line, over those of the config file
     * ({@code --conf}, or {@code conf/vae.conf} when it exists), over the defaults.
     */
    static TrainConfig trainConfig(Map<Setting<?>, Object> given, Configuration hadoop) throws IOException {
        boolean explicit = given.containsKey(TrainSettings.CONF);
        Path conf = new Path(explicit ? (String) given.get(TrainSettings.CONF) : TrainSettings.CONF.defaultText());
        Map<Setting<?>, Object> merged = new LinkedHashMap<>();
        if (conf.getFileSystem(hadoop).exists(conf)) {
            merged.putAll(ConfigFile.read(conf, TrainSettings.ALL, hadoop));
        } else if (explicit) {
            throw new ConfigException("conf: no such file '" + conf + "'");
        }
        merged.putAll(given);
        return TrainConfig.from(SettingValues.of(TrainSettings.ALL, merged), given.containsKey(TrainSettings.OUTPUT));
    }

    /** spark-submit sets the master; run directly (e.g. from an IDE), the job uses local mode. */
    private static SparkConf sparkConf(String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return SparkDefaults.forRounds(conf);
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
