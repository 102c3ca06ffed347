/**
 * The VAE in Spark ML: {@link com.sparkvae.ml.VaeEstimator}, whose Params are the {@code train} options declared
 * from the same definitions, and {@link com.sparkvae.ml.VaeModel}, which appends each row's scores to a DataFrame;
 * both saved and loaded as Spark ML saves stages, so Pipelines fit, save, load and tune them.
 *
 * <p>Uses {@code train} (the rounds, on a DataFrame's rows), {@code score} (the scores of a DataFrame's rows),
 * {@code data} (feature columns), {@code store} (models written by {@code train}), the root package (the options),
 * Jackson (the metadata's JSON) and Spark ML.
 */
package com.sparkvae.ml;
