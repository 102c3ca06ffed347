package com.sparkvae.job.cli;

import com.sparkvae.job.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads a config file of {@code key = value} lines; {@code #} starts a comment line. */
public final class ConfigFile {
    private ConfigFile() {
    }

    static Map<String, String> read(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        Map<String, String> values = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            return parse(in, uri);
        }
    }

    static Map<String, String> parse(BufferedReader in, String name) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(name + ":" + lineNo + ": expected 'key = value', got '" + t + "'");
            }
            String key = t.substring(0, eq).trim();
            TrainOptions.byKey(key, "at " + name + ":" + lineNo);
            if (key.equals(TrainOptions.CONF.key())) {
                throw new ConfigException(name + ":" + lineNo + ": a config file cannot name another config file");
            }
            values.put(key, t.substring(eq + 1).trim());
        }
        return values;
    }
}
