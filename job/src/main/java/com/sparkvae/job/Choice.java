package com.sparkvae.job;

import java.util.Locale;

/** An option's value chosen from a fixed set: an enum whose constants users write in lower case. */
public interface Choice {
    /** The spelling on the command line and in config files: the constant's name in lower case. */
    default String key() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }
}
