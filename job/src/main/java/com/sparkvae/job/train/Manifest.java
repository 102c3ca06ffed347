package com.sparkvae.job.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.cluster.SparkLine;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.Json;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.model.LearningRateSchedule;
import com.sparkvae.model.OuterOptimizer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code manifest.json}: how a model was made (options, data, versions, machine), what it reached (final and best
 * metrics, timings), the model's features (their columns and transform) when they are named or transformed, and,
 * under a model root, the promotion decision. Floating-point results differ across platforms,
 * so the JVM, OS and library versions are part of the record. Bound by {@link Json}; parts a run lacks (held-out
 * data, epochs, a promotion) are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The order on disk; without it Jackson puts the renamed "final" first.
@JsonPropertyOrder({"format", "config", "data", "features", "schedule", "memory", "initialised_from", "final",
        "best_test", "timings", "promotion", "retention", "versions"})
record Manifest(String format, Map<String, String> config, Data data, ModelFeatures features, ScheduleEntry schedule,
                Memory memory, String initialisedFrom, @JsonProperty("final") EpochMetrics last,
                EpochMetrics bestTest, Timings timings, Promotion promotion, RetentionEntry retention,
                Versions versions) {
    static final String FORMAT = "spark-vae-manifest-1";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Data(DataSet train, DataSet test) {
    }

    /** A data set read: {@code uri} is its source (a URI, or {@code table NAME} with its filter). */
    record DataSet(String uri, long examples, int dimension, int partitions, String fingerprint, long skippedRows,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> skippedExamples,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> featureColumns,
                   @JsonInclude(JsonInclude.Include.NON_DEFAULT) long imputedValues) {
        static DataSet of(ShardedData d) {
            return new DataSet(d.source(), d.size(), d.dim(), d.partitions(), String.format("%016x", d.fingerprint()),
                    d.skippedRows(), d.skippedExamples(), d.featureColumns(), d.imputedValues());
        }
    }

    /**
     * The schedule the run followed (see {@link ScheduleRule}): the local steps of its last rounds, and the range
     * they were chosen from after the first epoch where {@code --local-steps auto} chose them; the outer rate and
     * momentum only where used.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ScheduleEntry(int replicas, double lr, double peakLr, long warmupSteps, long decaySteps, long totalSteps,
                         long stepsPerEpoch, int localSteps, Integer localStepsLeast, Integer localStepsMost,
                         String outer, Double outerLr, Double outerMomentum) {
        static ScheduleEntry of(ScheduleRule.Schedule s, int localSteps) {
            LearningRateSchedule r = s.rates();
            OuterOptimizer.Momentum m = s.outer() instanceof OuterOptimizer.Momentum mo ? mo : null;
            return new ScheduleEntry(s.replicas(), r.base(), r.peak(), r.warmupSteps(), r.decaySteps(),
                    r.totalSteps(), s.stepsPerEpoch(), localSteps,
                    s.choosesLocalSteps() ? s.localSteps() : null, s.choosesLocalSteps() ? s.maxLocalSteps() : null,
                    m == null ? "avg" : m.nesterov() ? "nesterov" : "momentum",
                    m == null ? null : m.rate(), m == null ? null : m.momentum());
        }
    }

    record Memory(long driverPeakResidentBytes, long executorPeakResidentBytes) {
    }

    record Timings(String started, String finished, double trainSec, double elapsedSec) {
    }

    /**
     * The promotion gate's figures and decision, under a model root; the latest run's only when there is one. Once
     * the run has promoted: its entry in the promotion log, how many decisions it took (more than one when another
     * run was promoted while it decided), when, and whether the store made the append atomic.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Promotion(String test, double candidateTestNegElbo, double margin, String latest,
                     Double latestTestNegElbo, String reason, boolean promoted, Long sequence, Integer decisions,
                     String decidedAt, Boolean atomic) {
        Promotion(String test, double candidate, double margin, String latest, Double current, String reason,
                  boolean promoted) {
            this(test, candidate, margin, latest, current, reason, promoted, null, null, null, null);
        }

        Promotion settled(long sequence, int decisions, String decidedAt, boolean atomic) {
            return new Promotion(test, candidateTestNegElbo, margin, latest, latestTestNegElbo, reason, promoted,
                    promoted ? sequence : null, decisions, decidedAt, atomic);
        }
    }

    /** What retention removed under the model root after this run (run ids). */
    record RetentionEntry(List<String> removedRuns, List<String> removedUnfinished) {
    }

    record Versions(String sparkVae, String spark, String scala, String sparkVaeBuiltFor, String nd4j, String java,
                    String os, int driverCores) {
        static Versions ofThisProcess(String sparkVersion) {
            return new Versions(version("com.sparkvae", "spark-vae-job"), sparkVersion, SparkLine.scalaVersion(),
                    SparkLine.builtFor().line(), version("org.nd4j", "nd4j-api"),
                    System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** This manifest with the promotion as it was settled and what retention removed. */
    Manifest settled(Promotion settled, RetentionEntry removed) {
        return new Manifest(format, config, data, features, schedule, memory, initialisedFrom, last, bestTest,
                timings, settled, removed, versions);
    }

    static Manifest of(TrainConfig cfg, ShardedData train, Optional<ShardedData> test, ModelFeatures features,
                       Trainer.Result result,
                       Instant started, Instant finished, String sparkVersion, Optional<Promotion> promotion,
                       String initialisedFrom) {
        List<EpochMetrics> epochs = result.epochs();
        EpochMetrics last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
        EpochMetrics best = epochs.stream().filter(e -> e.testNegElbo().isPresent())
                .min(Comparator.comparingDouble(e -> e.testNegElbo().getAsDouble())).orElse(null);
        Timings timings = last == null ? null
                : new Timings(started.toString(), finished.toString(), last.trainSec(), last.elapsedSec());
        return new Manifest(FORMAT, cfg.asKeyValues(),
                new Data(DataSet.of(train), test.map(DataSet::of).orElse(null)),
                features.isUnnamedIdentity() ? null : features, ScheduleEntry.of(result.schedule(), result.localSteps()),
                new Memory(result.peakDriverBytes(), result.peakExecutorBytes()),
                initialisedFrom.isEmpty() ? "seed " + cfg.seed() : initialisedFrom, last, best, timings,
                promotion.orElse(null), null, Versions.ofThisProcess(sparkVersion));
    }

    String toJson() {
        return Json.pretty(this) + "\n";
    }

    /** A library's version from the pom.properties Maven puts in its jar (kept in the application jar). */
    static String version(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Manifest.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
