package com.sparkvae.job.store;

import com.sparkvae.model.LossSums;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands between two rounds: everything a checkpoint holds and a resumed run starts from. The random
 * streams need no saving: they are named by (seed, round, partition, step), so the round number is the RNG position.
 *
 * @param round rounds completed
 * @param epoch the epoch in progress, from 1 (epochs + 1 once the run is over)
 * @param stepInEpoch minibatch steps of that epoch already taken
 * @param iteration the optimiser's step count
 * @param vector parameters followed by the optimiser's moment vectors, in the layout the rounds broadcast
 * @param epochLoss loss sums of the epoch in progress so far
 * @param trainSeconds training time so far (rounds only), across resumptions
 * @param elapsedSeconds wall time so far, across resumptions
 * @param history the metrics of completed epochs
 * @param learningRate the learning rate in force (lower than configured after a divergence was rolled back)
 * @param halvings how many times the learning rate has been halved so far
 * @param localSteps the local steps of a round chosen under {@code --local-steps auto} after the first epoch; 0
 *                   while not yet chosen (and in checkpoints of versions that did not choose)
 * @param features the model's feature columns and transform, fixed when the run started
 */
public record TrainingState(long round, int epoch, long stepInEpoch, long iteration, float[] vector, LossSums epochLoss,
                     double trainSeconds, double elapsedSeconds, List<EpochMetrics> history, double learningRate,
                     int halvings, int localSteps, ModelFeatures features) {

    public TrainingState {
        history = List.copyOf(history);
    }

    public static TrainingState initial(float[] vector, double learningRate, ModelFeatures features) {
        return new TrainingState(0, 1, 0, 0, vector, LossSums.ZERO, 0, 0, new ArrayList<>(), learningRate, 0, 0,
                features);
    }
}
