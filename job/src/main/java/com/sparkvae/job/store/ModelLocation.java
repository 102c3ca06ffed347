package com.sparkvae.job.store;

import com.sparkvae.job.ConfigException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds model.zip from what a user names: the file itself, a finished run directory (one with {@code _SUCCESS}), a
 * model root (its promoted run), or the root's {@code latest} pointer file.
 */
public final class ModelLocation {
    private ModelLocation() {
    }

    /** The model.zip {@code uri} names; {@code option} names the option in messages. */
    public static Path resolve(String uri, String option, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new ConfigException(option + ": no such file or directory '" + uri + "'");
        }
        if (!fs.getFileStatus(p).isDirectory()) {
            if (p.getName().equals(ModelRoot.LATEST)) {
                return latestOf(new ModelRoot(p.getParent().toString(), conf), option);
            }
            return p;
        }
        if (fs.exists(new Path(p, ModelStore.FILE_NAME))) {
            if (!fs.exists(new Path(p, RunDirectory.SUCCESS))) {
                // On an object store a run is written in place: _SUCCESS, written last, says it is whole.
                throw new ConfigException(option + ": " + uri + " is an unfinished run (no " + RunDirectory.SUCCESS
                        + ")");
            }
            return new Path(p, ModelStore.FILE_NAME);
        }
        if (fs.exists(new Path(p, ModelRoot.LATEST))) {
            return latestOf(new ModelRoot(uri, conf), option);
        }
        throw new ConfigException(option + ": " + uri + " holds neither a " + ModelStore.FILE_NAME
                + " nor a '" + ModelRoot.LATEST + "' pointer");
    }

    /** The model.zip of the run {@code root}'s latest names. */
    public static Path latestOf(ModelRoot root, String option) throws IOException {
        Path run = root.latestRun().orElseThrow(() -> new ConfigException(option + ": " + root
                + " has no promoted run yet"));
        Path model = new Path(run, ModelStore.FILE_NAME);
        if (!model.getFileSystem(root.conf()).exists(model)) {
            throw new ConfigException(option + ": " + root + "/" + ModelRoot.LATEST + " names " + run
                    + ", which holds no " + ModelStore.FILE_NAME);
        }
        return model;
    }
}
