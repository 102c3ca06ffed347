package com.sparkvae.job.cli;

import com.sparkvae.job.ClusterException;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.InputSpec;
import com.sparkvae.job.SampleConfig;
import com.sparkvae.job.ScoreConfig;
import com.sparkvae.job.Setting;
import com.sparkvae.job.SettingValues;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.cluster.SparkDefaults;
import com.sparkvae.job.cluster.SparkLine;
import com.sparkvae.job.score.SampleJob;
import com.sparkvae.job.score.ScoreJob;
import com.sparkvae.job.train.TrainJob;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point for spark-submit: {@code [train|score|sample] [options]}. Options are validated, and the URIs they
 * name qualified, before Spark starts; the exit code says how it ended ({@link ExitCode}).
 */
public final class Main {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        FailureReport.Failure failure = execute(args);
        if (failure.code() == ExitCode.OK) {
            return;
        }
        if ("cluster".equals(System.getProperty("spark.submit.deployMode"))) {
            // The driver runs inside the cluster (YARN's ApplicationMaster): an exit here would read as a lost
            // driver. Thrown, the failure ends the application FAILED with this line as its diagnostics, which
            // spark-submit and `yarn application -status` show.
            throw new ApplicationFailedException(failure.code().code, failure.line());
        }
        System.exit(failure.code().code);
    }

    /** The exit code of the command {@code args}. */
    static int run(String[] args) {
        return execute(args).code().code;
    }

    private static FailureReport.Failure execute(String[] args) {
        try {
            ExitCode code = dispatch(args);
            return new FailureReport.Failure(code, code == ExitCode.NOT_PROMOTED
                    ? "not promoted: the run is published, but latest still names the previous run" : "");
        } catch (Throwable t) {
            return FailureReport.report(t);
        }
    }

    private static ExitCode dispatch(String[] args) throws IOException {
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
            return ExitCode.OK;
        }
        SparkConf spark = sparkConf("spark-vae " + command.word());
        Configuration hadoop = hadoopConf(spark);
        UriQualifier uris = new UriQualifier(hadoop);
        return switch (command) {
            case TRAIN -> train(spark, trainConfig(given.get(), hadoop, submitted(spark)).withUris(uris::qualify));
            case SCORE -> score(spark, ScoreConfig.from(SettingValues.of(command.settings, given.get()))
                    .withUris(uris::qualify));
            case SAMPLE -> {
                SampleJob.run(hadoop, SampleConfig.from(SettingValues.of(command.settings, given.get()))
                        .withUris(uris::qualify));
                yield ExitCode.OK;
            }
        };
    }

    private static ExitCode train(SparkConf conf, TrainConfig cfg) throws IOException {
        SparkSession spark = start(conf, cfg.trainSource().table().isPresent()
                || cfg.testSource().flatMap(InputSpec::table).isPresent());
        try {
            return TrainJob.run(spark, cfg).promoted() ? ExitCode.OK : ExitCode.NOT_PROMOTED;
        } finally {
            spark.stop();
        }
    }

    private static ExitCode score(SparkConf conf, ScoreConfig cfg) throws IOException {
        SparkSession spark = start(conf, cfg.source().table().isPresent() || cfg.outputTable().isPresent());
        try {
            ScoreJob.run(spark, cfg);
            return ExitCode.OK;
        } finally {
            spark.stop();
        }
    }

    /**
     * The configuration of {@code train}: the options given on the command line, over those of the config file
     * ({@code --conf}, or {@code conf/vae.conf} when it exists), over the defaults.
     */
    static TrainConfig trainConfig(Map<Setting<?>, Object> given, Configuration hadoop, LocalDateTime submitted)
            throws IOException {
        boolean explicit = given.containsKey(TrainSettings.CONF);
        String named = explicit ? (String) given.get(TrainSettings.CONF) : TrainSettings.CONF.defaultText();
        Path conf = new Path(new UriQualifier(hadoop).qualify(TrainSettings.CONF.key(), named));
        Map<Setting<?>, Object> merged = new LinkedHashMap<>();
        if (conf.getFileSystem(hadoop).exists(conf)) {
            merged.putAll(ConfigFile.read(conf, TrainSettings.ALL, hadoop));
        } else if (explicit) {
            throw new ConfigException("conf: no such file '" + named + "' (" + conf + ")");
        }
        merged.putAll(given);
        return TrainConfig.from(SettingValues.of(TrainSettings.ALL, merged), given.containsKey(TrainSettings.OUTPUT),
                submitted);
    }

    /**
     * When spark-submit submitted the application ({@code spark.app.submitTime}, which a YARN ApplicationMaster's
     * second attempt sees unchanged), or now when the job was started some other way.
     */
    private static LocalDateTime submitted(SparkConf spark) {
        String millis = spark.get("spark.app.submitTime", "");
        Instant at = millis.matches("\\d+") ? Instant.ofEpochMilli(Long.parseLong(millis)) : Instant.now();
        return LocalDateTime.ofInstant(at, ZoneId.systemDefault());
    }

    /**
     * The Spark session, or a {@link ClusterException} saying why Spark or the cluster would not start it. With
     * {@code tables} (the command reads or writes a catalog table) the session gets Spark's Hive support, as
     * spark-shell and spark-sql do, when its classes are present and the configuration does not choose a catalog
     * itself; without, the job leaves no metastore behind in the working directory.
     */
    private static SparkSession start(SparkConf conf, boolean tables) {
        try {
            SparkSession.Builder builder = SparkSession.builder().config(conf);
            if (tables && !conf.contains("spark.sql.catalogImplementation") && hiveClassesPresent()) {
                builder.enableHiveSupport();
            }
            SparkSession spark = builder.getOrCreate();
            LOG.info("application {} on {} (Spark {})", spark.sparkContext().applicationId(),
                    spark.sparkContext().master(), spark.version());
            return spark;
        } catch (RuntimeException e) {
            throw new ClusterException("cannot start the application on " + conf.get("spark.master") + ": "
                    + FailureReport.rootMessage(e), e);
        }
    }

    private static boolean hiveClassesPresent() {
        try {
            Class.forName("org.apache.spark.sql.hive.HiveSessionStateBuilder", false, Main.class.getClassLoader());
            Class.forName("org.apache.hadoop.hive.conf.HiveConf", false, Main.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Hadoop's configuration as the driver sees it: the XML files on the class path ({@code HADOOP_CONF_DIR}) and
     * every {@code spark.hadoop.*} setting. Read here, once, so that a file that cannot be parsed is reported as such.
     */
    static Configuration hadoopConf(SparkConf spark) {
        Configuration conf = new Configuration();
        for (scala.Tuple2<String, String> kv : spark.getAllWithPrefix("spark.hadoop.")) {
            conf.set(kv._1(), kv._2());
        }
        try {
            conf.get("fs.defaultFS");
        } catch (RuntimeException e) {
            String dir = System.getenv("HADOOP_CONF_DIR");
            throw new ConfigException("HADOOP_CONF_DIR: cannot read the Hadoop configuration"
                    + (dir == null ? "" : " in " + dir) + " (" + FailureReport.rootMessage(e) + ")");
        }
        return conf;
    }

    /** spark-submit sets the master; run directly (e.g. from an IDE), the job uses local mode. */
    private static SparkConf sparkConf(String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return SparkDefaults.forRounds(conf);
    }
}
