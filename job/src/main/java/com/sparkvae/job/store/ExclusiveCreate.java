package com.sparkvae.job.store;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Creating a small file only if no file has its name yet, with its whole content visible at once: the primitive a
 * compare-and-swap needs, in the form each store offers it (Hadoop's filesystem specification: create with
 * {@code overwrite=false} is atomic on HDFS but a check-then-write on the local disk and on S3A).
 * <ul>
 *   <li>HDFS (and viewfs, webhdfs): the content to a temporary file, then a rename that refuses an existing
 *       destination ({@code FileContext.rename} with {@code Options.Rename.NONE}), one operation at the NameNode;</li>
 *   <li>the local disk: the content to a temporary file, then a hard link to the name ({@code link(2)} fails when
 *       the name exists);</li>
 *   <li>S3A on Hadoop 3.4.2 and later: one PUT with {@code If-None-Match: *}
 *       ({@code fs.option.create.conditional.overwrite}), which the store refuses when the key exists;</li>
 *   <li>any other store: a check, then a create. Not atomic: {@link #atomic()} says so.</li>
 * </ul>
 */
public abstract class ExclusiveCreate {
    /** Hadoop's option for a conditional create (S3A, Hadoop 3.4.2+): If-None-Match on the PUT. */
    static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";
    private static final Set<String> RENAMES_ATOMICALLY = Set.of("hdfs", "viewfs", "webhdfs", "swebhdfs");

    /** The primitive for the store {@code dir} is on. */
    public static ExclusiveCreate on(Path dir, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        String scheme = fs.getUri().getScheme().toLowerCase(Locale.ROOT);
        if (RENAMES_ATOMICALLY.contains(scheme)) {
            return new RenameIfAbsent(fs, conf);
        }
        if (scheme.equals("file")) {
            return new LinkIfAbsent();
        }
        if (scheme.equals("s3a") && S3Conditional.supported(fs, dir)) {
            return new S3Conditional(fs);
        }
        return new CheckThenCreate(fs);
    }

    /**
     * Writes {@code content} as {@code file} if there is no file of that name: true when this call created it,
     * false when one was there (or was created at the same moment by someone else).
     */
    public abstract boolean createIfAbsent(Path file, byte[] content) throws IOException;

    /** Whether two callers racing for one name get exactly one winner. */
    public abstract boolean atomic();

    /** How, for the log. */
    public abstract String describe();

    private static final class RenameIfAbsent extends ExclusiveCreate {
        private final FileSystem fs;
        private final Configuration conf;

        RenameIfAbsent(FileSystem fs, Configuration conf) {
            this.fs = fs;
            this.conf = conf;
        }

        @Override
        public boolean createIfAbsent(Path file, byte[] content) throws IOException {
            Path tmp = new Path(file.getParent(), "_" + file.getName() + "." + UUID.randomUUID() + ".tmp");
            try (OutputStream out = fs.create(tmp, false)) {
                out.write(content);
            }
            try {
                FileContext.getFileContext(fs.getUri(), conf).rename(tmp, file, Options.Rename.NONE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } finally {
                fs.delete(tmp, false);
            }
        }

        @Override
        public boolean atomic() {
            return true;
        }

        @Override
        public String describe() {
            return "a rename that refuses an existing name (atomic at the NameNode)";
        }
    }

    private static final class LinkIfAbsent extends ExclusiveCreate {
        @Override
        public boolean createIfAbsent(Path file, byte[] content) throws IOException {
            java.nio.file.Path target = java.nio.file.Path.of(file.toUri().getPath());
            java.nio.file.Path tmp = target.resolveSibling("_" + target.getFileName() + "." + UUID.randomUUID()
                    + ".tmp");
            java.nio.file.Files.createDirectories(target.getParent());
            java.nio.file.Files.write(tmp, content);
            try {
                java.nio.file.Files.createLink(target, tmp);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        }

        @Override
        public boolean atomic() {
            return true;
        }

        @Override
        public String describe() {
            return "a hard link that refuses an existing name (atomic in the kernel)";
        }
    }

    /** S3A's conditional PUT, where the line's Hadoop has it (3.4.2 and later). */
    private static final class S3Conditional extends ExclusiveCreate {
        private final FileSystem fs;

        S3Conditional(FileSystem fs) {
            this.fs = fs;
        }

        /** Whether this S3A takes the conditional-create option (Hadoop 3.3.4's refuses it as unknown). */
        static boolean supported(FileSystem fs, Path dir) {
            try {
                return fs.hasPathCapability(dir, CONDITIONAL_CREATE);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public boolean createIfAbsent(Path file, byte[] content) throws IOException {
            org.apache.hadoop.fs.FSDataOutputStreamBuilder<?, ?> create = fs.createFile(file).overwrite(false);
            create.must(CONDITIONAL_CREATE, true);
            try (OutputStream out = (OutputStream) create.build()) {
                out.write(content);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                if (refusedAsExisting(e)) {
                    return false;
                }
                throw e;
            }
            return true;
        }

        private static boolean refusedAsExisting(Throwable e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                String m = String.valueOf(c.getMessage());
                if (c instanceof FileAlreadyExistsException || m.contains("412") || m.contains("PreconditionFailed")
                        || m.contains("Precondition Failed")) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean atomic() {
            return true;
        }

        @Override
        public String describe() {
            return "an S3 PUT with If-None-Match (atomic at the store)";
        }
    }

    private static final class CheckThenCreate extends ExclusiveCreate {
        private final FileSystem fs;

        CheckThenCreate(FileSystem fs) {
            this.fs = fs;
        }

        @Override
        public boolean createIfAbsent(Path file, byte[] content) throws IOException {
            if (fs.exists(file)) {
                return false;
            }
            try (OutputStream out = fs.create(file, false)) {
                out.write(content);
            } catch (FileAlreadyExistsException e) {
                return false;
            }
            return true;
        }

        @Override
        public boolean atomic() {
            return false;
        }

        @Override
        public String describe() {
            return "a check then a write: " + fs.getScheme() + "://, as this Hadoop reaches it, has no atomic "
                    + "create-if-absent, so two runs promoting at the same moment may both win";
        }
    }
}
