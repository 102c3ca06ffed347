package com.sparkvae.job.store;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TrainConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run directory at {@code --output}, published as the store allows ({@link Publication}). Where renames are
 * atomic, a run writes into a hidden sibling, {@code .<name>.inprogress}, and is published by renaming it to
 * {@code <name>} after {@code _SUCCESS} is written inside it, with a rename that refuses an existing directory (so a
 * retried publish never nests inside a published run); a directory at {@code --output} is then always a finished
 * run, and a killed run leaves only the hidden one, which {@code --resume} continues. On an object store the run is
 * written in place and {@code _SUCCESS}, written last, marks it finished; a killed run is the directory without it.
 */
public final class RunDirectory {
    public static final String SUCCESS = "_SUCCESS";
    static final String CONFIG = "config.conf";
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    private final Path target;
    private final Path work;
    private final Configuration conf;
    private final boolean inPlace;

    public RunDirectory(String uri, Configuration conf) {
        this.target = new Path(uri);
        this.conf = conf;
        this.inPlace = !renamesAtomically(target, conf);
        this.work = inPlace ? target : new Path(target.getParent(), "." + target.getName() + ".inprogress");
    }

    private static boolean renamesAtomically(Path p, Configuration conf) {
        try {
            return Publication.renamesAtomically(p.getFileSystem(conf));
        } catch (IOException e) {
            throw new ConfigException("output: cannot use " + p + " (" + e.getMessage() + ")");
        }
    }

    /** Whether the run is written in place, {@code _SUCCESS} marking it finished (object stores). */
    public boolean inPlace() {
        return inPlace;
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
            if (inPlace) {
                prepareInPlace(fs, finished, resume);
                return;
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

    /**
     * In place: a finished run to replace loses its {@code _SUCCESS} first, so no reader takes it for finished while
     * it goes; an unfinished run of this job (its {@code config.conf} written, no {@code _SUCCESS}) is continued or
     * discarded; anything else is refused.
     */
    private void prepareInPlace(FileSystem fs, boolean finished, boolean resume) throws IOException {
        boolean exists = fs.exists(target) && fs.listStatus(target).length > 0;
        boolean ours = fs.exists(new Path(target, CONFIG));
        if (finished) {
            LOG.warn("replacing the finished run {} in place (--overwrite): it is unfinished from now on", target);
            fs.delete(new Path(target, SUCCESS), false);
            fs.delete(target, true);
        } else if (resume) {
            if (!ours) {
                throw new ConfigException("resume: no unfinished run at " + target);
            }
            return;
        } else if (exists && !ours) {
            throw new ConfigException("output: " + target + " exists and is not a run of this job; choose another "
                    + "--output");
        } else if (exists) {
            LOG.warn("discarding the unfinished run in {} (use --resume to continue such a run)", target);
            fs.delete(target, true);
        }
        fs.mkdirs(target);
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
        writeText(CONFIG, sb.toString());
    }

    /** Rewrites metrics.jsonl whole, so it never holds half a line. */
    public void writeMetrics(List<EpochMetrics> history) {
        try {
            writeText("metrics.jsonl", Json.lines(history));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write metrics.jsonl in " + work, e);
        }
    }

    /**
     * Writes {@code _SUCCESS} and, where renames are atomic, renames the work directory to the target, replacing a
     * previous finished run (moved aside first, deleted after); in place, {@code _SUCCESS} alone publishes.
     */
    public void publish() throws IOException {
        writeText(SUCCESS, "");
        if (inPlace) {
            return;
        }
        FileSystem fs = target.getFileSystem(conf);
        FileContext fc = FileContext.getFileContext(target.toUri(), conf);
        Path replaced = null;
        if (fs.exists(target)) {
            replaced = new Path(target.getParent(), "." + target.getName() + ".replaced-" + System.currentTimeMillis());
            fc.rename(target, replaced, Options.Rename.NONE);
        }
        fc.rename(work, target, Options.Rename.NONE);
        if (replaced != null) {
            fs.delete(replaced, true);
        }
    }

    /** Replaces one file of the published run (its manifest, once promotion and retention are done), in one step. */
    public void rewritePublished(String name, String text) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path file = new Path(target, name);
        if (inPlace) {
            try (OutputStream out = fs.create(file, true)) {
                out.write(bytes);
            }
            return;
        }
        Path tmp = new Path(target, "." + name + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        FileContext.getFileContext(target.toUri(), conf).rename(tmp, file, Options.Rename.OVERWRITE);
    }
}
