package com.sparkvae.job.train;

import com.sparkvae.job.DataException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.ModelRoot;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.Retention;
import com.sparkvae.job.store.RunDirectory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate under a model root: the new run is promoted unless its held-out negative ELBO is worse than the promoted
 * run's, evaluated now on the same held-out rows (each model through its own feature transform, both in the data's
 * units), by more than the margin. An incumbent is evaluated once, however often it is shown. It judges once before
 * the run is published (so the published manifest holds a decision), then promotes through the model root's
 * compare-and-swap, applies retention, and settles the manifest.
 */
final class PromotionGate {
    private static final Logger LOG = LoggerFactory.getLogger(PromotionGate.class);
    private final TrainConfig cfg;
    private final Configuration hadoop;
    private final Trainer trainer;
    private final ShardedData test;
    private final double candidate;
    private final ModelRoot root;
    private final Map<Path, Double> evaluated = new HashMap<>();
    private String lastShown;

    PromotionGate(TrainConfig cfg, Configuration hadoop, Trainer trainer, ShardedData test, List<EpochMetrics> epochs) {
        this.cfg = cfg;
        this.hadoop = hadoop;
        this.trainer = trainer;
        this.test = test;
        this.candidate = epochs.get(epochs.size() - 1).testNegElbo().getAsDouble();
        this.root = new ModelRoot(cfg.modelRoot().orElseThrow(), hadoop);
    }

    /** The decision against the run promoted now, for the manifest written before publishing. */
    Manifest.Promotion firstDecision() throws IOException {
        return record(judge(root.promotedRun()));
    }

    /**
     * Promotes the published run if the gate says so, against whatever run is promoted when it looks; logs the
     * decision; applies retention; and rewrites the run's manifest with how it was settled. Whether it promoted.
     */
    boolean settle(RunDirectory run, Manifest manifest, String application) throws IOException {
        ModelRoot.Outcome o = root.promote(cfg.runId(), this::judge, test.source(), cfg.promoteMargin(), application);
        boolean promoted = o.verdict().promote();
        LOG.info(String.format("promotion at %s: runs/%s %.3f nats against %s on %s (margin %.3f): %s%s",
                o.decidedAt(), cfg.runId(), o.verdict().candidate(), o.incumbent().map(i -> "runs/"
                        + i.run().getName() + " " + String.format("%.3f", o.verdict().incumbent().getAsDouble()))
                        .orElse("no promoted run"), test.source(), cfg.promoteMargin(),
                promoted ? "promoted (entry " + o.sequence() + " of " + root + "/promotions)" : "NOT promoted",
                o.decisions() > 1 ? " after " + o.decisions() + " decisions" : ""));
        Retention.Removed removed = Retention.apply(root, new Retention.Policy(cfg.get(TrainSettings.KEEP_RUNS),
                cfg.get(TrainSettings.KEEP_DAYS), Duration.ofMillis(Math.round(cfg.get(TrainSettings.KEEP_GRACE)
                * 3_600_000))), Set.of(cfg.runId()), Instant.now());
        run.rewritePublished("manifest.json", manifest.settled(record(o.verdict()).settled(o.sequence(),
                o.decisions(), o.decidedAt(), o.atomic()), removed.isEmpty() ? null
                : new Manifest.RetentionEntry(removed.finished(), removed.unfinished())).toJson());
        return promoted;
    }

    private ModelRoot.Verdict judge(Optional<ModelRoot.Promoted> incumbent) throws IOException {
        if (incumbent.isEmpty()) {
            return new ModelRoot.Verdict(true, candidate, OptionalDouble.empty(), "no previous latest");
        }
        Path run = incumbent.get().run();
        lastShown = run.toString();
        Double current = evaluated.get(run);
        if (current == null) {
            current = evaluate(run);
            evaluated.put(run, current);
        }
        boolean promote = candidate <= current + cfg.promoteMargin();
        return new ModelRoot.Verdict(promote, candidate, OptionalDouble.of(current), promote
                ? "not worse than latest by more than the margin" : "worse than latest by more than the margin");
    }

    private double evaluate(Path latest) throws IOException {
        ModelStore.SavedModel incumbent = ModelStore.load(new Path(latest, ModelStore.FILE_NAME), hadoop);
        if (incumbent.inputDim() != test.dim()) {
            throw new DataException(latest + ": the latest model reads " + incumbent.inputDim()
                    + " features but " + test.source() + " has " + test.dim());
        }
        List<String> columns = incumbent.features().columns();
        if (!columns.isEmpty() && !test.featureColumns().isEmpty() && !columns.equals(test.featureColumns())) {
            throw new DataException(latest + ": the latest model reads " + incumbent.features().describe()
                    + " but " + test.source() + " gives " + test.featureColumns());
        }
        RunInputs.requireFillable(test, incumbent.features(), "the latest model's training means");
        return trainer.meanNegElbo(test, incumbent.architecture(), incumbent.parameters(),
                incumbent.features().transform());
    }

    /** The manifest's record of {@code v}, the verdict on the incumbent judged last. */
    private Manifest.Promotion record(ModelRoot.Verdict v) {
        return new Manifest.Promotion(test.source(), v.candidate(), cfg.promoteMargin(),
                v.incumbent().isPresent() ? lastShown : null,
                v.incumbent().isPresent() ? v.incumbent().getAsDouble() : null, v.reason(), v.promote());
    }
}
