package com.sparkvae.job.cli;

import com.sparkvae.job.ScoreSettings;
import com.sparkvae.job.Settings;
import com.sparkvae.job.TrainSettings;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The job's commands, each with its options and the summary its help text starts with. */
enum JobCommand {
    TRAIN(TrainSettings.ALL, "Trains a variational autoencoder on Spark. Every option is also a key of the config "
            + "file (default conf/vae.conf); the command line wins over the file, the file over the default. "
            + "Other commands: score and sample (submit.sh score --help)."),
    SCORE(ScoreSettings.SCORE, "Scores rows with a trained model: per row its id, negative ELBO, an "
            + "importance-sampled estimate of -log p(x), and latent mean, written as Parquet."),
    SAMPLE(ScoreSettings.SAMPLE, "Draws t ~ N(0, I), decodes them, and writes the grid of images as a PNG.");

    final Settings settings;
    final String summary;

    JobCommand(Settings settings, String summary) {
        this.settings = settings;
        this.summary = summary;
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<JobCommand> byWord(String word) {
        return Arrays.stream(values()).filter(c -> c.word().equals(word)).findFirst();
    }
}
