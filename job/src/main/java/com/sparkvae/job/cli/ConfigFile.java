package com.sparkvae.job.cli;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.Setting;
import com.sparkvae.job.Settings;
import com.sparkvae.job.TrainSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A config file of {@code key = value} lines ({@code #} starts a comment line), read through Hadoop's FileSystem;
 * each value typed and checked by its setting, a mistake named by file and line.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    static Map<Setting<?>, Object> read(Path path, Settings settings, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            return parse(in, path.toString(), settings);
        }
    }

    static Map<Setting<?>, Object> parse(BufferedReader in, String name, Settings settings) throws IOException {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String where = name + ":" + lineNo;
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(where + ": expected 'key = value', got '" + t + "'");
            }
            String key = t.substring(0, eq).trim();
            Setting<?> setting = settings.byKey(key).orElseThrow(() -> new ConfigException(
                    where + ": unknown option '" + key + "'; train --help lists the options"));
            if (setting == TrainSettings.CONF) {
                throw new ConfigException(where + ": a config file cannot name another config file");
            }
            try {
                values.put(setting, setting.parse(t.substring(eq + 1).trim()));
            } catch (ConfigException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        return values;
    }
}
