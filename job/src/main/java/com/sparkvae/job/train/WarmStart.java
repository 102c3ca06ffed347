package com.sparkvae.job.train;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.cluster.ReplicaWorkspace;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.TrainingState;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.OptimizerState;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** The starting state of a run initialised from a previous model: its parameters, with fresh optimiser state. */
public final class WarmStart {
    private WarmStart() {
    }

    static TrainingState from(Path model, Configuration hadoop, TrainConfig cfg, int inputDim) throws IOException {
        ModelStore.SavedModel saved = ModelStore.load(model, hadoop);
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
        return TrainingState.initial(ReplicaWorkspace.concat(saved.parameters(), fresh.momentsRef()), cfg.lr());
    }
}
