package com.sparkvae.job.train;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.store.Checkpoints;
import com.sparkvae.job.store.RunDirectory;
import java.io.IOException;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a later attempt of one application (YARN starts a second ApplicationMaster after losing the driver) does
 * with the run directory an earlier attempt left: it continues the run from its last checkpoint, starts it again
 * when there is none, and never replaces a finished run, which may be the earlier attempt's own.
 */
final class AttemptRule {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRule.class);

    private AttemptRule() {
    }

    /** The attempt number Spark gives this application: 1 unless the cluster manager retried it. */
    static int attemptOf(SparkContext sc) {
        scala.Option<String> id = sc.applicationAttemptId();
        return id.isDefined() && id.get().matches("\\d+") ? Integer.parseInt(id.get()) : 1;
    }

    /** Whether attempt {@code attempt} resumes the run; refuses a finished run for any attempt after the first. */
    static boolean resumes(int attempt, TrainConfig cfg, RunDirectory run, Checkpoints checkpoints)
            throws IOException {
        if (attempt <= 1) {
            return cfg.resume();
        }
        if (run.finished()) {
            throw new ConfigException("output: " + run.target() + " holds a finished run; attempt " + attempt
                    + " of this application leaves it as it is (an earlier attempt may have finished it)");
        }
        boolean resume = checkpoints.exists();   // read once, by the resumed run
        if (resume) {
            LOG.info("attempt {}: resuming the earlier attempt's run in {} from its last checkpoint", attempt,
                    run.work());
        } else {
            LOG.info("attempt {}: no checkpoint in {} from an earlier attempt; the run starts again", attempt,
                    run.work());
        }
        return resume;
    }
}
