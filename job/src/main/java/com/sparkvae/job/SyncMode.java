package com.sparkvae.job;

/** How the replicas synchronise in a round. */
public enum SyncMode implements Choice {
    /** K local optimiser steps per partition, then the average of parameters and optimiser state. */
    PARAMS,
    /** One optimiser step on the driver from the partitions' summed gradients: synchronous SGD. */
    GRADIENT
}
