package com.sparkvae.job.store;

import com.sparkvae.job.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * A model root for scheduled retraining: runs under {@code <root>/runs/<run-id>/}, and {@code <root>/latest}, a
 * one-line file naming the newest promoted run ({@code runs/<run-id>}). The pointer is written to a temporary file
 * and renamed over the old one in a single atomic rename, so a reader sees the old run or the new one, never half.
 */
public final class ModelRoot {
    public static final String LATEST = "latest";

    private final Path root;
    private final Configuration conf;

    public ModelRoot(String uri, Configuration conf) {
        this.root = new Path(uri);
        this.conf = conf;
    }

    Configuration conf() {
        return conf;
    }

    @Override
    public String toString() {
        return root.toString();
    }

    /** The run directory {@code latest} names, if any. */
    public Optional<Path> latestRun() throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        Path pointer = new Path(root, LATEST);
        if (!fs.exists(pointer)) {
            return Optional.empty();
        }
        String target;
        try (InputStream in = fs.open(pointer)) {
            target = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!target.startsWith("runs/") || target.contains("..")) {
            throw new DataException(pointer + ": expected 'runs/<run-id>', found '" + target + "'");
        }
        return Optional.of(new Path(root, target));
    }

    /** Points {@code latest} at {@code runs/<runId>}, atomically replacing the previous pointer. */
    public void promote(String runId) throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        Path tmp = new Path(root, "." + LATEST + ".tmp-" + runId);
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(("runs/" + runId + "\n").getBytes(StandardCharsets.UTF_8));
        }
        FileContext.getFileContext(root.toUri(), conf).rename(tmp, new Path(root, LATEST), Options.Rename.OVERWRITE);
    }
}
