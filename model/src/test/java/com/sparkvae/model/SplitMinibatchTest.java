package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A minibatch split into slices of rows on several threads is the same estimator from the same draws: its gradient
 * sum and losses equal the unsplit minibatch's up to the order of additions.
 */
class SplitMinibatchTest {

    @Test
    void slicesOnThreeThreadsGiveTheGradientOfTheWholeMinibatch() {
        // Two draws of t per point and a learned Gaussian variance, so every kind of draw and parameter is used;
        // 7 rows split 2 + 2 + 3.
        Architecture arch = new Architecture(6, List.of(5), 3, Activation.ELU, new Likelihood.Gaussian(true, 0.2), 2);
        float[] params = HostArrays.toFloatArray(VaeParameters.initialise(arch, 3, DataType.DOUBLE).flat());
        InMemoryShard shard = InMemoryShard.uniform(40, 6, 17);
        ShardTrainer whole = new ShardTrainer(arch, 8, DataType.DOUBLE);
        ShardTrainer split = new ShardTrainer(arch, 8, DataType.DOUBLE, 3);
        for (long step = 0; step < 3; step++) {
            float[] expected = new float[params.length];
            float[] actual = new float[params.length];
            StepCoordinates at = new StepCoordinates(9, 4, 1);
            LossSums a = whole.minibatchGradientSum(params, shard, 7, at, step, expected);
            LossSums b = split.minibatchGradientSum(params, shard, 7, at, step, actual);
            assertEquals(a.count(), b.count());
            assertEquals(a.reconstruction(), b.reconstruction(), 1e-9 * Math.abs(a.reconstruction()));
            assertEquals(a.kl(), b.kl(), 1e-9 * Math.abs(a.kl()));
            for (int i = 0; i < params.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "parameter " + i);
            }
        }
    }

    @Test
    void aMinibatchSmallerThanTheThreadsUsesOneRowPerSlice() {
        Architecture arch = new Architecture(4, List.of(3), 2, Activation.TANH, new Likelihood.Bernoulli(), 1);
        float[] params = HostArrays.toFloatArray(VaeParameters.initialise(arch, 5, DataType.DOUBLE).flat());
        InMemoryShard shard = InMemoryShard.uniform(10, 4, 3);
        float[] expected = new float[params.length];
        float[] actual = new float[params.length];
        StepCoordinates at = new StepCoordinates(2, 0, 0);
        new ShardTrainer(arch, 4, DataType.DOUBLE).minibatchGradientSum(params, shard, 2, at, 0, expected);
        new ShardTrainer(arch, 4, DataType.DOUBLE, 4).minibatchGradientSum(params, shard, 2, at, 0, actual);
        for (int i = 0; i < params.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "parameter " + i);
        }
    }
}
