package com.sparkvae.job.train;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.cluster.ReplicaWorkspace;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.TrainingState;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.OptimizerState;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** The starting state of a run initialised from a previous model: its parameters, with fresh optimiser state. */
public final class WarmStart {
    private WarmStart() {
    }

    /**
     * The saved model's parameters, and its features: a warm start continues the same model, so its columns and
     * transform (scaling, imputation means) stay; the training data must have the same columns, and a scaling asked
     * for explicitly must be the model's.
     */
    static TrainingState from(Path model, Configuration hadoop, TrainConfig cfg, int inputDim,
                              List<String> columns) throws IOException {
        ModelStore.SavedModel saved = ModelStore.load(model, hadoop);
        ModelFeatures features = saved.features();
        if (!features.columns().isEmpty() && !columns.isEmpty() && !features.columns().equals(columns)) {
            throw new ConfigException("init-from: " + model + " reads " + features.describe()
                    + " but the training data gives columns " + columns);
        }
        if (cfg.get(TrainSettings.SCALE).isPresent() && !cfg.scale().key().equals(features.scaling())) {
            throw new ConfigException("init-from: " + model + " scales its features by '" + features.scaling()
                    + "', not by --scale " + cfg.scale().key() + "; a warm start keeps the model's scaling");
        }
        Architecture wanted = cfg.architecture(inputDim);
        Architecture found = saved.architecture();
        if (found.inputDim() != wanted.inputDim()) {
            throw new ConfigException("init-from: " + model + " reads " + found.inputDim()
                    + " features but the training data has " + wanted.inputDim());
        }
        if (!found.hidden().equals(wanted.hidden()) || found.latentDim() != wanted.latentDim()
                || found.activation() != wanted.activation() || !found.likelihood().equals(wanted.likelihood())) {
            throw new ConfigException("init-from: " + model + " has another architecture (hidden " + found.hidden()
                    + ", latent " + found.latentDim() + ", " + found.activation().key() + ", "
                    + found.likelihood() + ") than this run (hidden " + wanted.hidden() + ", latent "
                    + wanted.latentDim() + ", " + wanted.activation().key() + ", " + wanted.likelihood() + ")");
        }
        OptimizerState fresh = cfg.optimizerWithRate(cfg.lr()).initialState(saved.parameters().length);
        return TrainingState.initial(ReplicaWorkspace.concat(saved.parameters(), fresh.momentsRef()), cfg.lr(),
                features.columns().isEmpty() && !columns.isEmpty()
                        ? new ModelFeatures(columns, features.scaling(), features.fill(), features.shift(),
                                features.scale(), features.clipToUnit())
                        : features);
    }
}
