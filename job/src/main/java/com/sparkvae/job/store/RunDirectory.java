package com.sparkvae.job.store;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TrainConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run directory at {@code --output}, committed atomically. A run writes into a hidden sibling,
 * {@code .<name>.inprogress}, and is published by renaming it to {@code <name>} after {@code _SUCCESS} is written
 * inside it; so a directory at {@code --output} is always a finished run, and a killed run leaves only the hidden
 * one, which {@code --resume} continues.
 */
public final class RunDirectory {
    public static final String SUCCESS = "_SUCCESS";
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    private final Path target;
    private final Path work;
    private final Configuration conf;

    public RunDirectory(String uri, Configuration conf) {
        this.target = new Path(uri);
        this.work = new Path(target.getParent(), "." + target.getName() + ".inprogress");
        this.conf = conf;
    }

    /** Where the run writes until it is published. */
    public Path work() {
        return work;
    }

    public Path target() {
        return target;
    }

    /** Whether {@code --output} holds a finished run. */
    public boolean finished() throws IOException {
        return target.getFileSystem(conf).exists(new Path(target, SUCCESS));
    }

    /**
     * Checks the target and sets up the work directory: refuses a finished run unless {@code overwrite}, keeps an
     * unfinished one for {@code resume} (and requires it then), and otherwise starts afresh.
     */
    public void prepare(boolean overwrite, boolean resume) {
        try {
            FileSystem fs = target.getFileSystem(conf);
            boolean finished = finished();
            if (finished && !overwrite) {
                throw new ConfigException("output: " + target + " already holds a finished run; choose another "
                        + "--output, or add --overwrite to replace it");
            }
            if (!finished && fs.exists(target) && fs.listStatus(target).length > 0) {
                throw new ConfigException("output: " + target + " exists and is not a finished run of this job; "
                        + "choose another --output");
            }
            if (resume) {
                if (!fs.exists(work)) {
                    throw new ConfigException("resume: no unfinished run at " + target + " (looked for " + work + ")");
                }
            } else if (fs.exists(work)) {
                LOG.warn("discarding the unfinished run in {} (use --resume to continue such a run)", work);
                fs.delete(work, true);
            }
            if (!fs.mkdirs(work)) {
                throw new ConfigException("output: cannot create " + work);
            }
        } catch (IOException e) {
            throw new ConfigException("output: cannot write under " + target.getParent() + " (" + e.getMessage() + ")");
        }
    }

    public void writeText(String name, String text) throws IOException {
        writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeBytes(String name, byte[] bytes) throws IOException {
        FileSystem fs = work.getFileSystem(conf);
        try (OutputStream out = fs.create(new Path(work, name), true)) {
            out.write(bytes);
        }
    }

    public void writeConfig(TrainConfig config) throws IOException {
        StringBuilder sb = new StringBuilder("# spark-vae: the options this run used\n");
        for (Map.Entry<String, String> e : config.asKeyValues().entrySet()) {
            sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        }
        writeText("config.conf", sb.toString());
    }

    /** Rewrites metrics.jsonl whole, so it never holds half a line. */
    public void writeMetrics(List<EpochMetrics> history) {
        try {
            writeText("metrics.jsonl", Json.lines(history));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write metrics.jsonl in " + work, e);
        }
    }

    /** Writes {@code _SUCCESS} and renames the work directory to the target, replacing a previous finished run. */
    public void publish() throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        writeText(SUCCESS, "");
        Path replaced = null;
        if (fs.exists(target)) {
            replaced = new Path(target.getParent(), "." + target.getName() + ".replaced-" + System.currentTimeMillis());
            if (!fs.rename(target, replaced)) {
                throw new IOException("cannot move the previous run " + target + " aside");
            }
        }
        if (!fs.rename(work, target)) {
            throw new IOException("cannot rename " + work + " to " + target);
        }
        if (replaced != null) {
            fs.delete(replaced, true);
        }
    }
}
