package com.sparkvae.job.data;

import com.sparkvae.job.DataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** What an input URI (a path or a glob) names, checked on the driver with messages that name the URI. */
final class InputFiles {
    private InputFiles() {
    }

    /** At least one file or directory, else a {@link DataException}. */
    static FileStatus[] matches(String uri, Configuration conf) {
        try {
            Path path = new Path(uri);
            FileStatus[] matches = path.getFileSystem(conf).globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new DataException(uri + ": no such file or directory");
            }
            return matches;
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** The matched files, and each matched directory's visible non-empty files, sorted; none is an error. */
    static List<Path> dataFiles(String uri, Configuration conf) {
        try {
            List<Path> out = new ArrayList<>();
            for (FileStatus match : matches(uri, conf)) {
                if (match.isDirectory()) {
                    FileSystem fs = match.getPath().getFileSystem(conf);
                    for (FileStatus f : fs.listStatus(match.getPath())) {
                        String n = f.getPath().getName();
                        if (f.isFile() && f.getLen() > 0 && !n.startsWith("_") && !n.startsWith(".")) {
                            out.add(f.getPath());
                        }
                    }
                } else if (match.getLen() > 0) {
                    out.add(match.getPath());
                }
            }
            if (out.isEmpty()) {
                throw new DataException(uri + ": no data files (only empty, hidden or marker files)");
            }
            out.sort(Comparator.comparing(Path::toString));
            return out;
        } catch (IOException e) {
            throw new DataException(uri + ": cannot be listed (" + e.getMessage() + ")", e);
        }
    }
}
