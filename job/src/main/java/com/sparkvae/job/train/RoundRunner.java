package com.sparkvae.job.train;

import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.cluster.PartitionSums;
import com.sparkvae.job.cluster.ReplicaSum;
import com.sparkvae.job.cluster.RoundInput;
import com.sparkvae.job.cluster.RoundPlan;
import com.sparkvae.job.cluster.RoundTasks;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.OuterOptimizer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs the rounds on the driver. Each round broadcasts the state, lets every partition work on its shard
 * ({@link RoundTasks}), sums the partitions' results ({@link PartitionSums}), destroys the broadcast, and updates
 * the {@link DriverState}:
 * <ul>
 *   <li>{@code --sync params}: every partition takes K local steps from the broadcast parameters and optimiser
 *       moments; the moments become their average weighted by shard size, and the parameters the outer step from
 *       that average ({@link OuterOptimizer}; plain averaging takes the average itself).</li>
 *   <li>{@code --sync gradient}: every partition sums the gradient over its share of one minibatch; the driver
 *       forms the estimator (N/n) Σ and takes one optimiser step with its per-example value Σ / n.</li>
 * </ul>
 * A round whose loss or parameters turn non-finite is rolled back, outer buffer included, and retried with the same
 * draws at half the learning rate, at most {@code --max-lr-halvings} times in a run.
 */
final class RoundRunner implements Rounds {
    private final JavaSparkContext sc;
    private final TrainConfig cfg;
    private final ShardedData train;
    private final RoundPlan plan;
    private final ScheduleRule.Schedule schedule;
    private final Optimizer optimizer;
    private final DriverState state;
    private final LrHalvings halvings;

    RoundRunner(JavaSparkContext sc, TrainConfig cfg, ShardedData train, RoundPlan plan,
                ScheduleRule.Schedule schedule, DriverState state, int halvings) {
        this(sc, cfg, train, plan, schedule, state, new LrHalvings(cfg, halvings));
    }

    /** Jobs mode within {@link StageRounds}, halving the rate through the run's {@code halvings}. */
    RoundRunner(JavaSparkContext sc, TrainConfig cfg, ShardedData train, RoundPlan plan,
                ScheduleRule.Schedule schedule, DriverState state, LrHalvings halvings) {
        this.sc = sc;
        this.cfg = cfg;
        this.train = train;
        this.plan = plan;
        this.schedule = schedule;
        this.optimizer = plan.optimizer();
        this.state = state;
        this.halvings = halvings;
    }

    @Override
    public int halvings() {
        return halvings.count();
    }

    @Override
    public boolean spans() {
        return false;
    }

    /** One Spark job per round, each round retried until it is finite: every round asked for completes. */
    @Override
    public List<Outcome> run(long round, int epoch, long firstStep, int[] steps) {
        List<Outcome> done = new ArrayList<>(steps.length);
        long step = firstStep;
        for (int i = 0; i < steps.length; i++) {
            long roundStart = System.nanoTime();
            RoundStatistics.Round result = run(round + i, epoch, step, steps[i]);
            double[] rates = schedule.rates().rates(step, steps[i], halvings.factor());
            done.add(new Outcome(result, steps[i], rates[rates.length - 1], (System.nanoTime() - roundStart) / 1e9));
            step += steps[i];
        }
        return done;
    }

    /** Round {@code round}: {@code steps} steps from step {@code firstStep} of the run, in epoch {@code epoch}. */
    private RoundStatistics.Round run(long round, int epoch, long firstStep, int steps) {
        float[] start = state.roundVector();
        float[] outerBefore = state.outerBuffer.clone();
        long iterationBefore = state.optimizer.iteration();
        while (true) {
            double[] rates = schedule.rates().rates(firstStep, steps, halvings.factor());
            RoundStatistics.Round result = cfg.gradientSync()
                    ? gradientRound(round, rates[0])
                    : averagingRound(round, start, rates);
            if (result.losses().isFinite() && allFinite(state.params)) {
                return result;
            }
            halvings.diverged(round, epoch, result.losses(), rates[0]);
            state.loadRound(start, iterationBefore);
            System.arraycopy(outerBefore, 0, state.outerBuffer, 0, outerBefore.length);
        }
    }

    /** @param start the parameters and moments before the round ({@link RoundInput}'s layout); only read */
    private RoundStatistics.Round averagingRound(long round, float[] start, double[] rates) {
        Broadcast<RoundInput> input = sc.broadcast(new RoundInput(start, state.optimizer.iteration(), rates));
        RoundPlan plan = this.plan;   // the task's closure takes the plan, not this runner
        try {
            ReplicaSum sum = PartitionSums.sum(train.blocks(),
                    (p, it) -> RoundTasks.localSteps(p, it, input, plan, round), ReplicaSum.empty(),
                    ReplicaSum::merge, cfg.aggregationDepth(), ReplicaSum.class);
            state.loadRound(sum.mean(), state.optimizer.iteration() + rates.length);
            schedule.outer().stepInPlace(start, state.params, state.outerBuffer);
            return new RoundStatistics.Round(sum);
        } finally {
            input.destroy();
        }
    }

    private RoundStatistics.Round gradientRound(long round, double rate) {
        Broadcast<RoundInput> input = sc.broadcast(new RoundInput(state.params.clone(), state.optimizer.iteration(),
                new double[] {rate}));
        RoundPlan plan = this.plan;   // the task's closure takes the plan, not this runner
        try {
            ReplicaSum sum = PartitionSums.sum(train.blocks(),
                    (p, it) -> RoundTasks.gradientSum(p, it, input, plan, round), ReplicaSum.empty(),
                    ReplicaSum::merge, cfg.aggregationDepth(), ReplicaSum.class);
            long drawn = sum.losses().count();                        // n = Σ_p n_p
            double estimatorScale = (double) train.size() / drawn;    // N / n
            // ĝ = (N/n) Σ estimates the gradient of the summed −ELBO; the optimiser takes ĝ / N (= Σ / n).
            double perExample = estimatorScale / train.size();          // = 1 / n
            optimizer.withLearningRate(rate).stepInPlace(state.params, sum.dividedBy(1.0), perExample,
                    state.optimizer);
            return new RoundStatistics.Round(sum);
        } finally {
            input.destroy();
        }
    }

    static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
