package com.sparkvae.job.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.Setting;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.model.LossSums;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints of a run in {@code <run>/checkpoints/}: {@code round-<R>.ckpt}, a zip of the run's options
 * ({@code config.json}), its position ({@code state.json}), its epoch metrics so far ({@code metrics.jsonl}), the
 * parameter-and-moment vector ({@code vector.bin}) and, for named or transformed features, {@code features.json}.
 * A checkpoint appears whole: written under a temporary name and renamed where renames are atomic, and written under
 * its own name on an object store, where an object appears only when it is closed. Only then is the previous one
 * deleted, so a kill at any moment leaves at least one whole checkpoint.
 */
public final class Checkpoints {
    private static final String SUFFIX = ".ckpt";
    private static final int MAGIC = 0x56414543; // "VAEC"

    private final Path dir;
    private final Configuration conf;

    public Checkpoints(Path runDir, Configuration conf) {
        this.dir = new Path(runDir, "checkpoints");
        this.conf = conf;
    }

    public void write(TrainingState s, TrainConfig config) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        fs.mkdirs(dir);
        Path target = new Path(dir, String.format("round-%09d%s", s.round(), SUFFIX));
        boolean rename = Publication.renamesAtomically(fs);
        Path partial = rename ? new Path(dir, "_" + target.getName() + ".partial") : target;
        try (OutputStream raw = fs.create(partial, true); ZipOutputStream zip = new ZipOutputStream(raw)) {
            entry(zip, "config.json", utf8(Json.line(config.asKeyValues())));
            entry(zip, "state.json", utf8(Json.line(Position.of(s))));
            entry(zip, "metrics.jsonl", utf8(Json.lines(s.history())));
            storedEntry(zip, "vector.bin", VectorBytes.encode(MAGIC, s.vector()));
            if (!s.features().isUnnamedIdentity()) {
                entry(zip, ModelFeatures.FILE_NAME, s.features().toJson());
            }
        }
        if (rename) {
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(partial, target)) {
                throw new IOException("cannot rename " + partial + " to " + target);
            }
        }
        for (FileStatus old : list(fs)) {
            if (!old.getPath().getName().equals(target.getName())) {
                fs.delete(old.getPath(), false);
            }
        }
    }

    /** Whether there is a complete checkpoint to resume from (read, and checked, by {@link #latest}). */
    public boolean exists() throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        return fs.exists(dir) && !list(fs).isEmpty();
    }

    /** The newest complete checkpoint, if any, after checking it belongs to a run with the same settings. */
    public Optional<TrainingState> latest(TrainConfig config) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
            return Optional.empty();
        }
        List<FileStatus> all = list(fs);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Path newest = all.get(all.size() - 1).getPath();
        try (InputStream raw = fs.open(newest); ZipInputStream zip = new ZipInputStream(raw)) {
            Map<String, String> cfg = null;
            Position state = null;
            List<EpochMetrics> history = new ArrayList<>();
            float[] vector = null;
            ModelFeatures features = ModelFeatures.UNNAMED;
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] data = zip.readAllBytes();
                switch (e.getName()) {
                    case "config.json" -> cfg = Json.readTextMap(data);
                    case "state.json" -> state = Json.read(data, Position.class);
                    case "metrics.jsonl" -> {
                        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
                            if (!line.isBlank()) {
                                history.add(Json.read(line, EpochMetrics.class));
                            }
                        }
                    }
                    case "vector.bin" -> vector = VectorBytes.decode(data, MAGIC, newest + ": vector.bin",
                            "a spark-vae checkpoint vector");
                    case ModelFeatures.FILE_NAME -> features = ModelFeatures.fromJson(data);
                    default -> { }
                }
            }
            if (cfg == null || state == null || vector == null) {
                throw new DataException(newest + ": not a complete spark-vae checkpoint");
            }
            checkCompatible(cfg, config, newest);
            return Optional.of(state.toState(vector, history, features));
        }
    }

    /** Resuming continues the same computation: every option that shapes it must match; only epochs may grow. */
    private static void checkCompatible(Map<String, String> saved, TrainConfig config, Path file) {
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> e : config.asKeyValues().entrySet()) {
            String key = e.getKey();
            if (TrainSettings.OF_A_RUN.byKey(key).orElseThrow().has(Setting.Trait.MAY_CHANGE_ON_RESUME)) {
                continue;
            }
            // An option of a later version than the checkpoint's took its default there.
            String v = saved.containsKey(key) ? saved.get(key)
                    : TrainSettings.OF_A_RUN.byKey(key).orElseThrow().defaultText();
            if (!e.getValue().equals(v)) {
                differing.add(key + " (checkpoint: " + (v == null ? "absent" : v) + ", now: " + e.getValue() + ")");
            }
        }
        if (!differing.isEmpty()) {
            throw new ConfigException("resume: " + file + " was written with other settings: " + differing
                    + "; resume with the original options");
        }
    }

    /**
     * {@code state.json}: a {@link TrainingState} without its vector and history, which have entries of their own.
     * Fields are added, never renamed: a checkpoint of an earlier version still resumes.
     */
    record Position(long round, int epoch, long stepInEpoch, long iteration, double epochRecon, double epochKl,
                    long epochCount, double trainSec, double elapsedSec, double learningRate, int lrHalvings,
                    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int localSteps) {
        static Position of(TrainingState s) {
            return new Position(s.round(), s.epoch(), s.stepInEpoch(), s.iteration(), s.epochLoss().reconstruction(),
                    s.epochLoss().kl(), s.epochLoss().count(), s.trainSeconds(), s.elapsedSeconds(),
                    s.learningRate(), s.halvings(), s.localSteps());
        }

        TrainingState toState(float[] vector, List<EpochMetrics> history, ModelFeatures features) {
            return new TrainingState(round, epoch, stepInEpoch, iteration, vector,
                    new LossSums(epochRecon, epochKl, epochCount), trainSec, elapsedSec, history, learningRate,
                    lrHalvings, localSteps, features);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<FileStatus> list(FileSystem fs) throws IOException {
        FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(SUFFIX) && !p.getName().startsWith("_"));
        Arrays.sort(files, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        return new ArrayList<>(Arrays.asList(files));
    }

    /**
     * Stored, not deflated: a vector of floats shrinks by a few percent at best, and deflating a model of several
     * megabytes costs a few hundred milliseconds at every epoch's end.
     */
    private static void storedEntry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
