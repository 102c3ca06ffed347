package com.sparkvae.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run directory under {@code --output}: {@code metrics.jsonl} (rewritten whole after every epoch, so it never
 * holds half a line), {@code config.conf} (the resolved options) and {@code model.zip}.
 */
final class RunOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Configuration conf;
    private final List<String> metricLines = new ArrayList<>();

    RunOutput(String uri, Configuration conf) {
        this.dir = new Path(uri);
        this.conf = conf;
    }

    /** Refuses a directory that already holds a trained model, and checks the location can be written. */
    void prepare() {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (fs.exists(new Path(dir, ModelStore.FILE_NAME))) {
                throw new ConfigException("output: " + dir + " already holds a trained model; choose another --output");
            }
            fs.mkdirs(dir);
        } catch (IOException e) {
            throw new ConfigException("output: cannot create " + dir + " (" + e.getMessage() + ")");
        }
    }

    Path dir() {
        return dir;
    }

    void writeConfig(TrainConfig config) throws IOException {
        StringBuilder sb = new StringBuilder("# spark-vae: the options this run used\n");
        for (Map.Entry<String, String> e : config.asKeyValues().entrySet()) {
            sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        }
        write("config.conf", sb.toString());
    }

    void appendMetrics(EpochMetrics m) {
        try {
            metricLines.add(JSON.writeValueAsString(m.asJson()));
            write("metrics.jsonl", String.join("\n", metricLines) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write metrics.jsonl in " + dir, e);
        }
    }

    private void write(String name, String text) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        try (OutputStream out = fs.create(new Path(dir, name), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
