/**
 * The {@code train} command: the schedule chosen from the partitions ({@link com.sparkvae.job.train.ScheduleRule}),
 * the epochs and rounds on the driver ({@link com.sparkvae.job.train.Trainer}; a Spark job per round, or a barrier
 * stage per span of rounds under {@code --rounds stage}), warm starts, promotion under a model root,
 * and the manifest of how a model was made.
 *
 * <p>Uses {@code cluster}, {@code data}, {@code store}, {@code report}, the root package and the model module.
 */
package com.sparkvae.job.train;
