package com.sparkvae.job.cli;

import com.sparkvae.job.ConfigException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Qualifies the URIs a user gives on the driver, as Hadoop's {@code makeQualified} does: a bare or relative path
 * becomes a full URI on the default file system, against the driver's working directory (or the user's home on
 * HDFS), before any task sees it; tasks would resolve it against their own working directories. {@code file:name}
 * is {@code name} in the driver's working directory on its local disk.
 */
final class UriQualifier {
    private final Configuration conf;

    UriQualifier(Configuration conf) {
        this.conf = conf;
    }

    /** {@code uri} qualified, or a {@link ConfigException} naming {@code option} when no file system takes it. */
    String qualify(String option, String uri) {
        try {
            if (uri.startsWith("file:") && !uri.startsWith("file:/")) {
                // file:name, which Hadoop's Path refuses: a file relative to the driver's working directory on its
                // own disk (where YARN puts the files shipped with --files in cluster mode).
                return new Path(java.nio.file.Path.of(uri.substring("file:".length())).toAbsolutePath().toUri())
                        .toString();
            }
            Path p = new Path(uri);
            if (p.toUri().getScheme() != null && p.toUri().getAuthority() != null) {
                FileSystem.getFileSystemClass(p.toUri().getScheme(), conf);   // a scheme Hadoop knows
                return p.toString();   // already whole; its file system need not be reachable from here
            }
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new ConfigException(option + ": cannot use '" + uri + "' (" + FailureReport.rootMessage(e) + ")");
        }
    }
}
