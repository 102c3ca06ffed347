package com.sparkvae.job.cli;

import static com.sparkvae.job.cli.OptionDef.anyLong;
import static com.sparkvae.job.cli.OptionDef.intAtLeast;
import static com.sparkvae.job.cli.OptionDef.text;

import com.sparkvae.job.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options of {@code score} and {@code sample}, the commands that use a trained model. */
public final class ModelCommandOptions {
    static final OptionDef<String> MODEL = new OptionDef<>("model", "URI", "",
            "The trained model: a run directory, its model.zip, or a model root (its latest run).", text());
    static final OptionDef<String> INPUT = new OptionDef<>("input", "URI", "",
            "score: the rows to score (IDX, CSV or Parquet, like train's --input).", text());
    static final OptionDef<String> OUTPUT = new OptionDef<>("output", "URI", "",
            "score: the Parquet directory to write; sample: the PNG file to write.", text());
    static final OptionDef<Integer> SAMPLES = new OptionDef<>("samples", "K", "64",
            "score: importance samples per row for the estimate of -log p(x).", intAtLeast(1));
    static final OptionDef<Integer> PARTITIONS = new OptionDef<>("partitions", "P", "0",
            "score: partitions to read into; 0 keeps the input's own (and its row order for row ids).",
            intAtLeast(0));
    static final OptionDef<Integer> COUNT = new OptionDef<>("count", "N", "64",
            "sample: number of images t ~ N(0, I) to decode into the grid.", intAtLeast(1));
    static final OptionDef<Long> SEED = new OptionDef<>("seed", "N", "1", "Seed of the draws.", anyLong());
    static final OptionDef<Boolean> OVERWRITE = new OptionDef<>("overwrite", "", "false",
            "Replace an existing output.", OptionDef.bool());

    public static final List<OptionDef<?>> SCORE = List.of(MODEL, INPUT, OUTPUT, SAMPLES, PARTITIONS,
            TrainOptions.FORMAT, TrainOptions.CSV_HEADER, TrainOptions.BAD_ROWS, SEED, OVERWRITE);
    public static final List<OptionDef<?>> SAMPLE = List.of(MODEL, OUTPUT, COUNT, SEED, OVERWRITE);

    private ModelCommandOptions() {
    }

    /** Every option of {@code defs} with its value: given, or the default; required ones checked. */
    public static Map<String, String> resolve(List<OptionDef<?>> defs, Map<String, String> given, List<String> required) {
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionDef<?> d : defs) {
            String v = given.getOrDefault(d.key(), d.defaultText());
            d.parse(v);
            out.put(d.key(), v);
        }
        for (String key : required) {
            if (out.get(key).isEmpty()) {
                throw new ConfigException(key + ": required (--" + key + " URI)");
            }
        }
        return out;
    }
}
