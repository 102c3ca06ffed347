package com.sparkvae.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.data.DataReader;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

public class TrainOptionsTest {

    @Test
    void shippedConfigFileSetsEveryOptionToItsDefault() throws Exception {
        Map<String, String> file;
        try (BufferedReader in = Files.newBufferedReader(Path.of("../conf/vae.conf"))) {
            file = ConfigFile.parse(in, "conf/vae.conf");
        }
        Set<String> expectedKeys = TrainOptions.ALL.stream().map(OptionDef::key)
                .filter(k -> !k.equals(TrainOptions.CONF.key())).collect(Collectors.toSet());
        assertEquals(expectedKeys, file.keySet());
        for (OptionDef<?> def : TrainOptions.ALL) {
            if (file.containsKey(def.key())) {
                assertEquals(def.parse(def.defaultText()), def.parse(file.get(def.key())), def.key());
            }
        }
    }

    @Test
    void commandLineOverridesConfigFileWhichOverridesDefaults() {
        TrainConfig cfg = TrainOptions.resolve(Map.of("epochs", "3", "lr", "0.01"), Map.of("epochs", "5"));
        assertEquals(5, cfg.epochs());
        assertEquals(0.01, cfg.lr());
        assertEquals(128, cfg.batchSize());
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheKeyAndTheRange() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainOptions.resolve(Map.of(), Map.of("batch-size", "0")));
        assertTrue(e.getMessage().startsWith("batch-size:"), e.getMessage());
        assertTrue(e.getMessage().contains("≥ 1"), e.getMessage());
        assertThrows(ConfigException.class, () -> TrainOptions.resolve(Map.of(), Map.of("latent-dim", "0")));
        assertThrows(ConfigException.class, () -> TrainOptions.resolve(Map.of(), Map.of("lr", "-0.1")));
        ConfigException lik = assertThrows(ConfigException.class,
                () -> TrainOptions.resolve(Map.of(), Map.of("likelihood", "poisson")));
        assertTrue(lik.getMessage().contains("bernoulli, gaussian"), lik.getMessage());
    }

    @Test
    void unknownOptionsAreRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Main.parseTrain(List.of("--epoch", "3"), new Configuration()));
        assertTrue(e.getMessage().contains("unknown option 'epoch'"), e.getMessage());
        assertThrows(ConfigException.class,
                () -> ConfigFile.parse(new BufferedReader(new StringReader("epochz = 3\n")), "x.conf"));
    }

    @Test
    void flagsAcceptSpaceOrEqualsSeparatedValues() {
        Map<String, String> flags = Main.parseFlags(List.of("--epochs", "4", "--hidden=512,256"));
        assertEquals(Map.of("epochs", "4", "hidden", "512,256"), flags);
        TrainConfig cfg = TrainOptions.resolve(Map.of(), flags);
        assertEquals(List.of(512, 256), cfg.hidden());
    }

    @Test
    void outputTimestampIsFilledIn() {
        TrainConfig cfg = TrainOptions.resolve(Map.of(), Map.of());
        assertTrue(cfg.output().matches("runs/\\d{8}-\\d{6}"), cfg.output());
    }

    @Test
    void formatIsGuessedFromTheName() {
        assertEquals("idx", DataReader.resolveFormat("auto", "data/train-images-idx3-ubyte.gz"));
        assertEquals("csv", DataReader.resolveFormat("auto", "hdfs://nn/x/rows.csv"));
        assertEquals("parquet", DataReader.resolveFormat("auto", "/data/features.parquet/"));
        assertEquals("csv", DataReader.resolveFormat("csv", "/data/whatever"));
        assertThrows(ConfigException.class, () -> DataReader.resolveFormat("auto", "/data/whatever"));
    }
}
