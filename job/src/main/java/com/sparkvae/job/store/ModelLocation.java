package com.sparkvae.job.store;

import com.sparkvae.job.ConfigException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Finds model.zip from what a user names: the file itself, a run directory, or a model root's latest run. */
public final class ModelLocation {
    private ModelLocation() {
    }

    public static Path resolve(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new ConfigException("model: no such file or directory '" + uri + "'");
        }
        if (!fs.getFileStatus(p).isDirectory()) {
            return p;
        }
        if (fs.exists(new Path(p, ModelStore.FILE_NAME))) {
            return new Path(p, ModelStore.FILE_NAME);
        }
        if (fs.exists(new Path(p, ModelRoot.LATEST))) {
            Path run = new ModelRoot(uri, conf).latestRun().orElseThrow();
            return new Path(run, ModelStore.FILE_NAME);
        }
        throw new ConfigException("model: " + uri + " holds neither a model.zip nor a 'latest' pointer");
    }
}
