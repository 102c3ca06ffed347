package com.sparkvae.job.train;

import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainingDivergedException;
import com.sparkvae.model.LossSums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's halvings of the learning rate: a round whose loss or parameters turn non-finite is rolled back and
 * retried with the same draws at half the rate, at most {@code --max-lr-halvings} times in a run.
 */
final class LrHalvings {
    private static final Logger LOG = LoggerFactory.getLogger(LrHalvings.class);

    private final TrainConfig cfg;
    private int count;

    LrHalvings(TrainConfig cfg, int count) {
        this.cfg = cfg;
        this.count = count;
    }

    int count() {
        return count;
    }

    /** What the schedule's rates are multiplied by now. */
    double factor() {
        return Math.pow(0.5, count);
    }

    /**
     * Round {@code round} of epoch {@code epoch}, run at {@code rate}, diverged with {@code losses}: one more halving,
     * or, past the bound, the run fails.
     */
    void diverged(long round, int epoch, LossSums losses, double rate) {
        if (count >= cfg.maxLrHalvings()) {
            throw new TrainingDivergedException(String.format("round %d (epoch %d) diverged (reconstruction %s, "
                    + "KL %s) at learning rate %g after %d halvings of --lr %g; lower --lr or check the data",
                    round, epoch, losses.reconstruction(), losses.kl(), rate, count, cfg.lr()));
        }
        count++;
        LOG.warn(String.format("round %d (epoch %d) produced a non-finite loss; rolled back and retrying at half "
                + "the learning rate, %g (halving %d of at most %d)", round, epoch, rate / 2, count,
                cfg.maxLrHalvings()));
    }
}
