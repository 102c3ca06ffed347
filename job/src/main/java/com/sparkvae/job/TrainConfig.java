package com.sparkvae.job;

import com.sparkvae.job.cli.TrainOptions;
import com.sparkvae.model.Activation;
import com.sparkvae.model.Adam;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.Likelihood;
import com.sparkvae.model.Optimizer;
import com.sparkvae.model.Sgd;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The validated settings of one training run; see {@link TrainOptions} for what each means. */
public record TrainConfig(String input, Optional<String> test, String output, boolean overwrite, boolean resume,
                          int checkpointEvery, String modelRoot, String runId, double promoteMargin,
                          String initFrom, String format, String csvHeader, String badRows,
                          int epochs, int batchSize, Optional<Integer> localSteps, String sync, int partitions,
                          int aggregationDepth, List<Integer> hidden, int latentDim, String activation,
                          String likelihood, String gaussianVariance, double gaussianLogVariance, int samples,
                          String optimizer, double lr, Optional<Double> peakLr,
                          Optional<Double> warmupEpochs, Optional<Double> decayEpochs, int maxLrHalvings, double adamBeta1, double adamBeta2, double adamEpsilon,
                          long seed) implements Serializable {

    public TrainConfig {
        hidden = List.copyOf(hidden);
    }

    public boolean hasModelRoot() {
        return !modelRoot.isEmpty();
    }

    public boolean gradientSync() {
        return sync.equals("gradient");
    }

    /** The model for data of {@code inputDim} features. */
    public Architecture architecture(int inputDim) {
        Likelihood lik = likelihood.equals("bernoulli") ? new Likelihood.Bernoulli()
                : new Likelihood.Gaussian(gaussianVariance.equals("learned"), gaussianLogVariance);
        return new Architecture(inputDim, hidden, latentDim, Activation.parse(activation), lik, samples);
    }

    public Optimizer optimizerWithRate(double rate) {
        return optimizer.equals("adam") ? new Adam(rate, adamBeta1, adamBeta2, adamEpsilon) : new Sgd(rate);
    }

    /** Every option as the text a config file would hold, in declaration order. */
    public Map<String, String> asKeyValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TrainOptions.INPUT.key(), input);
        m.put(TrainOptions.TEST.key(), test.orElse("none"));
        m.put(TrainOptions.OUTPUT.key(), output);
        m.put(TrainOptions.OVERWRITE.key(), Boolean.toString(overwrite));
        m.put(TrainOptions.RESUME.key(), Boolean.toString(resume));
        m.put(TrainOptions.CHECKPOINT_EVERY.key(), Integer.toString(checkpointEvery));
        m.put(TrainOptions.MODEL_ROOT.key(), modelRoot);
        m.put(TrainOptions.RUN_ID.key(), runId);
        m.put(TrainOptions.PROMOTE_MARGIN.key(), Double.toString(promoteMargin));
        m.put(TrainOptions.INIT_FROM.key(), initFrom);
        m.put(TrainOptions.FORMAT.key(), format);
        m.put(TrainOptions.CSV_HEADER.key(), csvHeader);
        m.put(TrainOptions.BAD_ROWS.key(), badRows);
        m.put(TrainOptions.EPOCHS.key(), Integer.toString(epochs));
        m.put(TrainOptions.BATCH_SIZE.key(), Integer.toString(batchSize));
        m.put(TrainOptions.LOCAL_STEPS.key(), autoOr(localSteps));
        m.put(TrainOptions.SYNC.key(), sync);
        m.put(TrainOptions.PARTITIONS.key(), Integer.toString(partitions));
        m.put(TrainOptions.AGGREGATION_DEPTH.key(), Integer.toString(aggregationDepth));
        m.put(TrainOptions.HIDDEN.key(), String.join(",", hidden.stream().map(String::valueOf).toList()));
        m.put(TrainOptions.LATENT_DIM.key(), Integer.toString(latentDim));
        m.put(TrainOptions.ACTIVATION.key(), activation);
        m.put(TrainOptions.LIKELIHOOD.key(), likelihood);
        m.put(TrainOptions.GAUSSIAN_VARIANCE.key(), gaussianVariance);
        m.put(TrainOptions.GAUSSIAN_LOG_VARIANCE.key(), Double.toString(gaussianLogVariance));
        m.put(TrainOptions.SAMPLES.key(), Integer.toString(samples));
        m.put(TrainOptions.OPTIMIZER.key(), optimizer);
        m.put(TrainOptions.LR.key(), Double.toString(lr));
        m.put(TrainOptions.PEAK_LR.key(), autoOr(peakLr));
        m.put(TrainOptions.WARMUP_EPOCHS.key(), autoOr(warmupEpochs));
        m.put(TrainOptions.DECAY_EPOCHS.key(), autoOr(decayEpochs));
        m.put(TrainOptions.MAX_LR_HALVINGS.key(), Integer.toString(maxLrHalvings));
        m.put(TrainOptions.ADAM_BETA1.key(), Double.toString(adamBeta1));
        m.put(TrainOptions.ADAM_BETA2.key(), Double.toString(adamBeta2));
        m.put(TrainOptions.ADAM_EPSILON.key(), Double.toString(adamEpsilon));
        m.put(TrainOptions.SEED.key(), Long.toString(seed));
        return m;
    }

    private static String autoOr(Optional<?> value) {
        return value.map(String::valueOf).orElse("auto");
    }
}
