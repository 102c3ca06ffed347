package com.sparkvae.job.store;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a model root from growing forever, as Delta's VACUUM and Iceberg's snapshot expiry do: after a run, the
 * finished runs beyond the newest {@code keepRuns} and older than {@code keepDays} are deleted (either rule alone
 * when only one is set; nothing without either), and so are runs that never finished and have not been written to
 * for {@link #ABANDONED}. Never deleted: the promoted run and the one it replaced (a reader that resolved
 * {@code latest} a moment ago may still be reading it), the runs named in {@code keep}, and any run younger than
 * {@code grace}.
 */
public final class Retention {
    /** How long a run that never finished is left for {@code --resume}. */
    public static final Duration ABANDONED = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private Retention() {
    }

    /** The rules: how many finished runs to keep at least, for how long at least, and the grace period. */
    public record Policy(Optional<Integer> keepRuns, Optional<Double> keepDays, Duration grace) {
        public boolean keepsAll() {
            return keepRuns.isEmpty() && keepDays.isEmpty();
        }
    }

    /** What was deleted: run ids of finished runs, and of unfinished ones. */
    public record Removed(List<String> finished, List<String> unfinished) {
        public static final Removed NOTHING = new Removed(List.of(), List.of());

        public boolean isEmpty() {
            return finished.isEmpty() && unfinished.isEmpty();
        }
    }

    /** Applies {@code policy} to {@code root} at {@code now}; {@code keep}: run ids never to delete. */
    public static Removed apply(ModelRoot root, Policy policy, Set<String> keep, Instant now) throws IOException {
        if (policy.keepsAll()) {
            return Removed.NOTHING;
        }
        Path runs = new Path(root.path(), "runs");
        FileSystem fs = runs.getFileSystem(root.conf());
        if (!fs.exists(runs)) {
            return Removed.NOTHING;
        }
        List<String> protectedRuns = new ArrayList<>(keep);
        Optional<PromotionLog.Entry> head = new PromotionLog(root.path(), root.conf()).head();
        head.ifPresent(h -> {
            protectedRuns.add(runId(h.run()));
            if (h.previous() != null) {
                protectedRuns.add(runId(h.previous()));
            }
        });
        root.latestRun().ifPresent(r -> protectedRuns.add(r.getName()));
        List<FileStatus> finished = new ArrayList<>();
        List<FileStatus> unfinished = new ArrayList<>();
        for (FileStatus dir : fs.listStatus(runs)) {
            if (!dir.isDirectory()) {
                continue;
            }
            Path success = new Path(dir.getPath(), RunDirectory.SUCCESS);
            if (fs.exists(success)) {
                finished.add(fs.getFileStatus(success));
            } else {
                unfinished.add(dir);
            }
        }
        finished.sort(Comparator.comparingLong(FileStatus::getModificationTime).reversed());
        List<String> removedFinished = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            Path run = finished.get(i).getPath().getParent();
            Duration age = Duration.between(Instant.ofEpochMilli(finished.get(i).getModificationTime()), now);
            boolean beyondCount = i >= policy.keepRuns().orElse(0);
            boolean beyondAge = policy.keepDays().map(d -> age.toMillis() > d * 86_400_000L).orElse(true);
            if (beyondCount && beyondAge && age.compareTo(policy.grace()) > 0 && !protectedRuns.contains(id(run))) {
                fs.delete(run, true);
                removedFinished.add(id(run));
            }
        }
        List<String> removedUnfinished = new ArrayList<>();
        for (FileStatus dir : unfinished) {
            Duration idle = Duration.between(Instant.ofEpochMilli(lastWrite(fs, dir)), now);
            if (idle.compareTo(ABANDONED) > 0 && idle.compareTo(policy.grace()) > 0
                    && !protectedRuns.contains(id(dir.getPath()))) {
                fs.delete(dir.getPath(), true);
                removedUnfinished.add(id(dir.getPath()));
            }
        }
        if (!removedFinished.isEmpty() || !removedUnfinished.isEmpty()) {
            LOG.info("retention under {}: removed finished runs {} and unfinished runs {}", root, removedFinished,
                    removedUnfinished);
        }
        return new Removed(removedFinished, removedUnfinished);
    }

    /** A run's id from its directory: {@code .<id>.inprogress} for one being written where renames publish. */
    private static String id(Path run) {
        String name = run.getName();
        return name.startsWith(".") && name.endsWith(".inprogress")
                ? name.substring(1, name.length() - ".inprogress".length()) : name;
    }

    private static String runId(String runsPath) {
        return runsPath.substring(runsPath.lastIndexOf('/') + 1);
    }

    /** When anything under {@code dir} was last written (the directory's own time on a store without them). */
    private static long lastWrite(FileSystem fs, FileStatus dir) throws IOException {
        long newest = dir.getModificationTime();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir.getPath(), true);
        while (files.hasNext()) {
            newest = Math.max(newest, files.next().getModificationTime());
        }
        return newest;
    }
}
