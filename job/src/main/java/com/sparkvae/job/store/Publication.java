package com.sparkvae.job.store;

import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;

/**
 * How a run becomes visible on a store. Where a directory rename is one atomic operation (HDFS, viewfs, webhdfs, the
 * local disk), a run is written in a hidden sibling and renamed into place whole. On object stores (S3A, GCS, ABFS
 * without a hierarchical namespace, and any store not named here) a rename is a copy of every object and a delete,
 * neither atomic nor fast, so a run is written in place and {@code _SUCCESS}, written last, is what marks it
 * finished: every reader checks it. There an object appears only when it is closed, so a single file needs no
 * rename either.
 */
public final class Publication {
    private static final Set<String> ATOMIC_RENAME = Set.of("hdfs", "viewfs", "webhdfs", "swebhdfs", "file");

    private Publication() {
    }

    /** Whether a rename on {@code fs} is one atomic operation that refuses or replaces as asked. */
    public static boolean renamesAtomically(FileSystem fs) {
        return ATOMIC_RENAME.contains(fs.getUri().getScheme().toLowerCase(Locale.ROOT));
    }
}
