package com.sparkvae.job.cli;

/** The job's exit codes, for schedulers to act on; README.md lists them. */
enum ExitCode {
    /** Done (and, under a model root, promoted). */
    OK(0),
    /** The job's own failure: the stack trace is in the log. */
    BUG(1),
    /** A bad option, config file, path or model named by the user; checked before training starts. */
    CONFIG(2),
    /** Input data the job cannot use. */
    DATA(3),
    /** Training diverged: a non-finite loss after every allowed halving of the learning rate. */
    DIVERGED(4),
    /** Trained and published, but worse than the model root's latest by more than the margin: not promoted. */
    NOT_PROMOTED(5),
    /** Spark or the cluster manager would not run the application. */
    CLUSTER(6);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
