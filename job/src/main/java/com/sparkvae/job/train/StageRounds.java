package com.sparkvae.job.train;

import com.sparkvae.job.ClusterException;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.RoundsMode;
import com.sparkvae.job.TaskFailures;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.cluster.RoundPlan;
import com.sparkvae.job.cluster.SpanInput;
import com.sparkvae.job.cluster.SpanResult;
import com.sparkvae.job.cluster.SpanTask;
import com.sparkvae.job.cluster.SparkLine;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.data.SparkSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --rounds stage}: each span of rounds (up to the epoch's end or the next checkpoint) runs as one barrier
 * stage whose tasks keep their shards and replicas and average among themselves every round ({@link SpanTask}). The
 * driver broadcasts the span's start (global state, outer buffer, the rate of every step) and takes the state back
 * at its end, for evaluation, checkpoints and roll-back, as after a round of jobs mode. A span whose stage fails (a
 * lost executor: Spark aborts a barrier stage whose task failed) runs again from its start. Each span passes on the
 * executor JVMs' server ports the last one used, so its tasks skip the rendezvous; a span run again after a failure
 * swaps them afresh. A span's fixed costs (the stage's launch, the broadcast, the state back) are spread evenly over
 * its rounds' wall times.
 *
 * <p>A span runs again only once the cluster has a task slot for every partition again: a lost executor that the
 * cluster manager does not replace would leave Spark to retry the stage for minutes, then fail. Under {@code --rounds
 * auto} the run then goes on in jobs mode ({@link RoundRunner}), from the same state and on the same schedule, so it
 * ends as an undisturbed run, and takes stage mode back at a span's start once the cluster has the slots again (as
 * it does when auto started in jobs mode for want of them); under {@code --rounds stage} it fails in one line.
 */
final class StageRounds implements Rounds {
    /** Attempts of a span's stage before the run fails: a lost executor costs one. */
    static final int SPAN_ATTEMPTS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(StageRounds.class);

    private final JavaSparkContext sc;
    private final TrainConfig cfg;
    private final ShardedData train;
    private final RoundPlan plan;
    private final ScheduleRule.Schedule schedule;
    private final DriverState state;
    /** The run's halvings, shared with {@link #jobs}: a roll-back in either mode halves the rate for both. */
    private final LrHalvings halvings;
    /** The executor JVMs' server ports by executor address, as the last span used them. */
    private Map<String, Integer> peerPorts = Map.of();
    /** Jobs mode, while {@code --rounds auto} runs the rounds as jobs for want of task slots; else null. */
    private RoundRunner jobs;

    /** The rounds of a run that starts as {@code start} says, {@link Start#STAGE} or {@link Start#JOBS_UNTIL_SLOTS}. */
    StageRounds(JavaSparkContext sc, TrainConfig cfg, ShardedData train, RoundPlan plan,
                ScheduleRule.Schedule schedule, DriverState state, int halvings, Start start) {
        this.sc = sc;
        this.cfg = cfg;
        this.train = train;
        this.plan = plan;
        this.schedule = schedule;
        this.state = state;
        this.halvings = new LrHalvings(cfg, halvings);
        this.jobs = start == Start.JOBS_UNTIL_SLOTS ? inJobs() : null;
    }

    /** How a run's rounds start, decided from {@code --rounds} and the cluster before training. */
    enum Start {
        /** One Spark job per round, the whole run. */
        JOBS,
        /** One Spark job per round until the cluster has a task slot for every partition ({@code auto}). */
        JOBS_UNTIL_SLOTS,
        /** One barrier stage per span of rounds. */
        STAGE
    }

    /**
     * How this run's rounds start ({@code --rounds}): in jobs under {@code jobs}; under {@code stage} in stages, or a
     * refusal in one line before training when the cluster cannot run its barrier stage (Spark itself would retry
     * for minutes, with too few task slots, or fail at the first span); under {@code auto} in stages wherever stage
     * mode can run, else in jobs (until the cluster has the task slots, where only they are missing), and it says
     * which in one line.
     */
    static Start start(JavaSparkContext sc, TrainConfig cfg, ShardedData data) {
        if (cfg.rounds() == RoundsMode.JOBS) {
            return Start.JOBS;
        }
        Optional<Obstacle> obstacle = obstacle(sc, cfg, data);
        if (cfg.rounds() == RoundsMode.STAGE) {
            obstacle.ifPresent(o -> {
                throw new ConfigException("rounds: " + o.reason() + "; " + o.remedy());
            });
            return Start.STAGE;
        }
        if (obstacle.isPresent()) {
            Obstacle o = obstacle.get();
            LOG.info("rounds: auto runs one Spark job per round (--rounds jobs), as {}{}", o.reason(),
                    o.slotsOnly() ? ", and a barrier stage a span once it has a slot for every partition" : "");
            return o.slotsOnly() ? Start.JOBS_UNTIL_SLOTS : Start.JOBS;
        }
        LOG.info("rounds: auto runs each span of rounds as one barrier stage (--rounds stage): {} partitions, as many "
                + "task slots at least, and no dynamic allocation", data.partitions());
        return Start.STAGE;
    }

    /**
     * Why stage mode cannot run, and what a user who asked for it can do; {@code slotsOnly} when the cluster lacks
     * only task slots, which executors still to come may bring.
     */
    private record Obstacle(String reason, String remedy, boolean slotsOnly) {
        Obstacle(String reason, String remedy) {
            this(reason, remedy, false);
        }
    }

    private static Optional<Obstacle> obstacle(JavaSparkContext sc, TrainConfig cfg, ShardedData data) {
        if (cfg.gradientSync()) {
            return Optional.of(new Obstacle("--sync gradient takes one exact step a round, which jobs mode takes",
                    "use --sync params"));
        }
        if (SparkLine.dynamicAllocation(sc)) {
            return Optional.of(new Obstacle("stage runs a barrier stage, which Spark refuses under dynamic "
                    + "allocation", "set spark.dynamicAllocation.enabled=false or use --rounds jobs"));
        }
        if (SparkLine.tlsWithoutNetworkCrypto(sc.getConf(), sc.version())) {
            return Optional.of(new Obstacle("stage's exchange between executors does not use Spark's TLS for RPC "
                    + "(spark.ssl.rpc.enabled)", "set spark.authenticate=true and spark.network.crypto.enabled=true, "
                    + "whose encryption it does use, or use --rounds jobs"));
        }
        Optional<String> chain = SparkLine.barrierChainProblem(data.blocks());
        if (chain.isPresent()) {
            return Optional.of(new Obstacle("stage runs a barrier stage over the cached shards, which Spark refuses "
                    + "when they come from a union of inputs (" + chain.get() + ")", "give --partitions another "
                    + "count, so the rows are shuffled into shards, or use --rounds jobs"));
        }
        int partitions = data.partitions();
        int slots = SparkLine.taskSlots(sc);
        if (partitions > slots) {
            return Optional.of(new Obstacle("stage runs all " + partitions + " partitions at once, but the cluster "
                    + "has " + slots + " task slots", "lower --partitions to " + slots + ", add cores, or use "
                    + "--rounds jobs", true));
        }
        return Optional.empty();
    }

    /**
     * Whether the next call runs a span: stage mode's answer, or jobs mode's (one round a call) while auto runs jobs.
     * Asked before each span, so that is where auto takes stage mode back once the cluster has the slots.
     */
    @Override
    public boolean spans() {
        if (jobs != null && SparkLine.taskSlots(sc) >= train.partitions()) {
            LOG.info("rounds: the cluster has a task slot for each of the {} partitions; auto runs each span of "
                    + "rounds as one barrier stage from here on", train.partitions());
            jobs = null;
            peerPorts = Map.of();
        }
        return jobs == null;
    }

    @Override
    public int halvings() {
        return halvings.count();
    }

    private RoundRunner inJobs() {
        return new RoundRunner(sc, cfg, train, plan, schedule, state, halvings);
    }

    @Override
    public List<Outcome> run(long round, int epoch, long firstStep, int[] steps) {
        if (jobs != null) {
            return jobs.run(round, epoch, firstStep, steps);
        }
        double[][] rates = new double[steps.length][];
        long step = firstStep;
        for (int i = 0; i < steps.length; i++) {
            rates[i] = schedule.rates().rates(step, steps[i], halvings.factor());
            step += steps[i];
        }
        SpanInput input = new SpanInput(state.roundVector(), state.outerBuffer.clone(), state.optimizer.iteration(),
                state.params.length, round, rates, schedule.outer(), peerPorts);
        long start = System.nanoTime();
        SpanResult result = runSpan(input, round);
        if (result == null) {   // the span's stage failed, and auto left stage mode: nothing of it was kept
            jobs = inJobs();
            return jobs.run(round, epoch, firstStep, steps);
        }
        double spanSeconds = (System.nanoTime() - start) / 1e9;

        peerPorts = result.peerPorts();
        state.loadRound(result.vector(), result.iteration());
        System.arraycopy(result.outerBuffer(), 0, state.outerBuffer, 0, state.outerBuffer.length);
        List<SpanResult.RoundRecord> records = result.rounds();
        double inRounds = 0;
        for (SpanResult.RoundRecord r : records) {
            inRounds += r.wallSeconds();
        }
        double share = records.isEmpty() ? 0 : Math.max(0, spanSeconds - inRounds) / records.size();
        List<Outcome> done = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            SpanResult.RoundRecord r = records.get(i);
            done.add(new Outcome(new RoundStatistics.Round(r.losses(), r.slowestTaskSeconds(), r.totalTaskSeconds(),
                    r.tasks(), r.peakExecutorBytes()), steps[i], rates[i][rates[i].length - 1],
                    r.wallSeconds() + share));
        }
        if (result.diverged()) {
            int at = records.size();
            halvings.diverged(round + at, epoch, result.divergedLosses(), rates[at][0]);
        }
        return done;
    }

    /**
     * Runs the span's stage; when it fails (Spark aborts a barrier stage whose task failed, as when an executor is
     * lost), runs it again from the same start, at most {@link #SPAN_ATTEMPTS} times in all: every attempt draws the
     * same minibatches, so the run ends as an undisturbed one. Bad data or configuration is not retried. Returns
     * null when {@code --rounds auto} leaves stage mode, as the cluster has too few task slots to run it again.
     */
    private SpanResult runSpan(SpanInput input, long round) {
        RoundPlan plan = this.plan;   // the task's closure takes the plan, not this object
        for (int attempt = 1; ; attempt++) {
            // Run again, the span swaps its ports afresh: the failure may have been a port that went stale.
            Broadcast<SpanInput> broadcast = sc.broadcast(attempt == 1 ? input : input.withoutPeerPorts());
            try {
                List<SpanResult> results = SparkLine.runBarrierStage(train.blocks(),
                        (p, rows) -> SpanTask.run(p, rows, broadcast, plan), SpanResult.class);
                return results.get(0);
            } catch (Exception e) {   // Spark's failures are Scala's, unchecked to javac
                TaskFailures.rethrowJobException(e);
                if (!(e instanceof SparkException) || attempt >= SPAN_ATTEMPTS) {
                    throw e instanceof RuntimeException r ? r
                            : new ClusterException("the rounds from round " + round + " failed "
                                    + attempt + " times: " + SparkSource.firstLine(e), e);
                }
                LOG.warn("the stage of the rounds from round {} failed (attempt {} of {}): {}; running them "
                        + "again from their start", round, attempt, SPAN_ATTEMPTS, SparkSource.firstLine(e));
                if (!slotsForEveryPartition(round)) {
                    return null;
                }
            } finally {
                broadcast.destroy();
            }
        }
    }

    /**
     * Whether the cluster has a task slot for every partition, waiting as long as Spark waits for executors when an
     * application starts ({@code spark.scheduler.maxRegisteredResourcesWaitingTime}) for lost ones to be replaced;
     * false when it has not and the mode is {@code auto}. Under {@code --rounds stage} a cluster still short of
     * slots fails the run in one line.
     */
    private boolean slotsForEveryPartition(long round) {
        int partitions = train.partitions();
        long waitMillis = sc.getConf().getTimeAsMs(SparkLine.RESOURCES_WAIT, "30s");
        int slots = SparkLine.awaitTaskSlots(sc, partitions, waitMillis);
        if (slots >= partitions) {
            return true;
        }
        String shortOf = "the cluster has " + slots + " task slots for " + partitions + " partitions "
                + waitMillis / 1000 + " s after the stage of the rounds from round " + round + " failed";
        if (cfg.rounds() == RoundsMode.STAGE) {
            throw new ClusterException("rounds: stage runs all partitions at once, but " + shortOf + " (a lost "
                    + "executor not replaced); run again with --rounds jobs or auto (and --resume to go on from "
                    + "the last checkpoint), or with more executors", null);
        }
        LOG.warn("rounds: {} (a lost executor not replaced); auto goes on in jobs mode, one Spark job per round, "
                + "on the same schedule, until the cluster has the slots again", shortOf);
        return false;
    }
}
