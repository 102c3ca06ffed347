package com.sparkvae.job.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A model root's promotions, appended one file at a time: {@code <root>/promotions/<n>.json}, entry n naming the
 * run promoted n-th and the figures it won with. An entry is created only if no entry has its number
 * ({@link ExclusiveCreate}), so of two runs that read the same head and both promote, one appends and the other
 * learns that the head moved. The head (the highest number) is the promoted run; {@code latest} repeats it for
 * readers of earlier versions.
 */
final class PromotionLog {
    static final String DIR = "promotions";
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Configuration conf;

    PromotionLog(Path root, Configuration conf) {
        this.dir = new Path(root, DIR);
        this.conf = conf;
    }

    /**
     * One promotion: its number, the run ({@code runs/<id>}), its held-out figure, the run it replaced and that
     * run's figure on the same rows (absent for the first), the margin, and when and by which application.
     */
    record Entry(long sequence, String run, double testNegElbo, String heldOut, String previous,
                 Double previousTestNegElbo, double margin, String decidedAt, String application) {
    }

    /** The newest entry, if any. */
    Optional<Entry> head() throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
            return Optional.empty();
        }
        FileStatus[] all = fs.listStatus(dir, p -> p.getName().endsWith(SUFFIX) && !p.getName().startsWith("_"));
        Optional<FileStatus> newest = Arrays.stream(all).max(Comparator.comparing(f -> f.getPath().getName()));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(newest.get().getPath())) {
            return Optional.of(Json.read(in.readAllBytes(), Entry.class));
        }
    }

    /**
     * Appends {@code entry} at its number: false when another entry of that number is already there. An entry that
     * is this one (same run, same application) counts as appended: on S3 a PUT retried after its response was lost
     * is refused by the object it wrote itself.
     */
    boolean append(Entry entry, ExclusiveCreate create) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        fs.mkdirs(dir);
        Path file = new Path(dir, name(entry.sequence()));
        if (create.createIfAbsent(file, (Json.line(entry) + "\n").getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        try (InputStream in = fs.open(file)) {
            Entry there = Json.read(in.readAllBytes(), Entry.class);
            return there.run().equals(entry.run()) && java.util.Objects.equals(there.application(), entry.application())
                    && there.decidedAt().equals(entry.decidedAt());
        }
    }

    Path dir() {
        return dir;
    }

    static String name(long sequence) {
        return String.format("%012d%s", sequence, SUFFIX);
    }
}
