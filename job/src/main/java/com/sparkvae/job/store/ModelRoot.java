package com.sparkvae.job.store;

import com.sparkvae.job.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model root for scheduled retraining: runs under {@code <root>/runs/<run-id>/}, the promotions appended to
 * {@code <root>/promotions/} ({@link PromotionLog}), whose newest entry is the promoted run, and {@code <root>/latest},
 * a one-line file naming that run ({@code runs/<run-id>}) for readers.
 *
 * <p>Promotion is a compare-and-swap: a run decides against the promoted run it read, and appends the next entry
 * only if no other run appended it first; otherwise it reads the new head and decides again. So whatever the order
 * in which runs finish, each decision is made against the run promoted at that moment, and the better model ends up
 * promoted. Where the store offers no atomic create-if-absent ({@link ExclusiveCreate#atomic()}), the log says so.
 */
public final class ModelRoot {
    public static final String LATEST = "latest";
    private static final Logger LOG = LoggerFactory.getLogger(ModelRoot.class);

    private final Path root;
    private final Configuration conf;

    public ModelRoot(String uri, Configuration conf) {
        this.root = new Path(uri);
        this.conf = conf;
    }

    Configuration conf() {
        return conf;
    }

    public Path path() {
        return root;
    }

    @Override
    public String toString() {
        return root.toString();
    }

    /** A promoted run: its number in the promotion log (0 for one named only by an earlier version's latest). */
    public record Promoted(long sequence, Path run) {
    }

    /** What a run concludes against the promoted run it is shown (none for the first). */
    public interface Judge {
        Verdict judge(Optional<Promoted> incumbent) throws IOException;
    }

    /** A decision with both figures (the incumbent's re-evaluated on the candidate's held-out rows). */
    public record Verdict(boolean promote, double candidate, OptionalDouble incumbent, String reason) {
    }

    /** How a promotion ended: the last verdict, against which run, the entry appended, and how many decisions. */
    public record Outcome(Verdict verdict, Optional<Promoted> incumbent, long sequence, int decisions,
                          boolean atomic, String decidedAt) {
    }

    /** The promoted run: the promotion log's head, or for a root of an earlier version what {@code latest} names. */
    public Optional<Path> latestRun() throws IOException {
        return promotedRun().map(Promoted::run);
    }

    /** The promoted run with its number in the promotion log. */
    public Optional<Promoted> promotedRun() throws IOException {
        Optional<PromotionLog.Entry> head = new PromotionLog(root, conf).head();
        if (head.isPresent()) {
            return Optional.of(new Promoted(head.get().sequence(), runPath(head.get().run(), "promotion log")));
        }
        FileSystem fs = root.getFileSystem(conf);
        Path pointer = new Path(root, LATEST);
        if (!fs.exists(pointer)) {
            return Optional.empty();
        }
        String target;
        try (InputStream in = fs.open(pointer)) {
            target = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        return Optional.of(new Promoted(0, runPath(target, pointer.toString())));
    }

    private Path runPath(String target, String where) {
        if (!target.startsWith("runs/") || target.contains("..")) {
            throw new DataException(root + " (" + where + "): expected 'runs/<run-id>', found '" + target + "'");
        }
        return new Path(root, target);
    }

    /**
     * Promotes {@code runId} if {@code judge}, shown the run promoted at this moment, says so: appends the next
     * promotion-log entry, or, when another run appended it first, shows the judge the new head and asks again.
     * Then points {@code latest} at the head. {@code heldOut} and {@code application} go into the log entry.
     */
    public Outcome promote(String runId, Judge judge, String heldOut, double margin, String application)
            throws IOException {
        PromotionLog log = new PromotionLog(root, conf);
        ExclusiveCreate create = ExclusiveCreate.on(root, conf);
        if (!create.atomic()) {
            LOG.warn("promotion under {}: {}", root, create.describe());
        }
        for (int decisions = 1; ; decisions++) {
            Optional<Promoted> incumbent = promotedRun();
            Verdict verdict = judge.judge(incumbent);
            String at = Instant.now().toString();
            if (!verdict.promote()) {
                return new Outcome(verdict, incumbent, 0, decisions, create.atomic(), at);
            }
            long next = incumbent.map(Promoted::sequence).orElse(0L) + 1;
            PromotionLog.Entry entry = new PromotionLog.Entry(next, "runs/" + runId, verdict.candidate(), heldOut,
                    incumbent.map(p -> "runs/" + p.run().getName()).orElse(null),
                    verdict.incumbent().isPresent() ? verdict.incumbent().getAsDouble() : null, margin, at,
                    application);
            if (log.append(entry, create)) {
                pointLatestAtHead();
                return new Outcome(verdict, incumbent, next, decisions, create.atomic(), at);
            }
            LOG.info("promotion: another run was promoted under {} while this one decided; deciding again against "
                    + "it", root);
        }
    }

    /**
     * Writes {@code latest} as the promotion log's head, until the head it wrote is still the head: a run that
     * appended an entry before another may write the pointer after it, and then puts the newer head back.
     */
    private void pointLatestAtHead() throws IOException {
        PromotionLog log = new PromotionLog(root, conf);
        for (;;) {
            PromotionLog.Entry head = log.head().orElseThrow();
            writePointer(head.run());
            if (log.head().map(PromotionLog.Entry::sequence).orElse(-1L) == head.sequence()) {
                return;
            }
        }
    }

    /**
     * {@code latest} replaced in one step: a rename over the old file where renames are atomic (on the local disk
     * rename(2) itself, since Hadoop's local rename checks and deletes before it moves, which racing writers trip
     * on), and one PUT on an object store (where an object appears whole when it is closed).
     */
    private void writePointer(String run) throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        byte[] line = (run + "\n").getBytes(StandardCharsets.UTF_8);
        Path pointer = new Path(root, LATEST);
        if (fs.getUri().getScheme().equals("file")) {
            java.nio.file.Path target = java.nio.file.Path.of(pointer.toUri().getPath());
            java.nio.file.Path tmp = target.resolveSibling("." + LATEST + ".tmp-" + java.util.UUID.randomUUID());
            java.nio.file.Files.write(tmp, line);
            java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // A checksum Hadoop's local file system wrote for an earlier pointer would no longer match.
            java.nio.file.Files.deleteIfExists(target.resolveSibling("." + LATEST + ".crc"));
            return;
        }
        if (!Publication.renamesAtomically(fs)) {
            try (OutputStream out = fs.create(pointer, true)) {
                out.write(line);
            }
            return;
        }
        Path tmp = new Path(root, "." + LATEST + ".tmp-" + java.util.UUID.randomUUID());
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(line);
        }
        FileContext.getFileContext(root.toUri(), conf).rename(tmp, pointer, Options.Rename.OVERWRITE);
    }
}
