package com.sparkvae.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.Setting;
import com.sparkvae.job.TrainSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;

/**
 * The estimator's Params are the {@code train} options: one per option that is not command-only, named in camelCase,
 * with the option's default, accepting exactly what the option accepts, and settable through a typed setter that
 * refuses a bad value in one line.
 */
class VaeEstimatorParamsTest {
    private static final int[] INTS = {Integer.MIN_VALUE, -2, -1, 0, 1, 2, 7, 1000};
    private static final long[] LONGS = {Long.MIN_VALUE, -5, 0, 1, Long.MAX_VALUE};
    private static final double[] DOUBLES = {Double.NEGATIVE_INFINITY, -1, 0, 1e-9, 0.5, 0.999, 1, 2,
            Double.POSITIVE_INFINITY, Double.NaN};
    private static final int[][] SIZES = {{}, {400}, {512, 256}, {0}, {-1, 3}};
    private static final String[] TEXTS = {"", "auto", "none", "0", "1", "16", "-1", "0.5", "1e-3", "relu", "tanh",
            "elu", "bernoulli", "gaussian", "learned", "fixed", "params", "gradient", "avg", "momentum", "nesterov",
            "standard", "minmax", "fail", "skip", "impute", "adam", "sgd", "jobs", "stage", "nll", "excess", "recon", "bogus"};

    private final VaeEstimator vae = new VaeEstimator();

    @Test
    void everyTrainOptionButTheCommandOnesIsAParamWithTheOptionsDefault() {
        List<String> missing = new ArrayList<>();
        for (Setting<?> s : TrainSettings.ALL.all()) {
            String name = OptionParams.name(s.key());
            if (s.has(Setting.Trait.COMMAND_ONLY)) {
                assertFalse(vae.hasParam(name), name + " is command-only, yet a Param");
                continue;
            }
            if (!vae.hasParam(name)) {
                missing.add(name);
                continue;
            }
            Param<Object> p = vae.getParam(name);
            assertEquals(s.parse(s.defaultText()), s.parse(OptionParams.text(vae.getDefault(p).get())), name);
            assertEquals(s.doc(), p.doc(), name);
        }
        assertEquals(List.of(), missing, "train options without a Param");
        for (String name : List.of("latentDim", "hidden", "epochs", "batchSize", "partitions", "lr", "likelihood",
                "seed")) {
            assertTrue(vae.hasParam(name), name);
        }
    }

    @Test
    void everyParamAcceptsWhatItsOptionAccepts() {
        for (Setting<?> s : OptionParams.trainParams()) {
            Param<Object> p = vae.getParam(OptionParams.name(s.key()));
            int probes = 0;
            for (Object value : probes(p)) {
                boolean option = accepts(s, OptionParams.text(value));
                assertEquals(option, p.isValid().apply(value), p.name() + " on " + OptionParams.text(value));
                probes += option ? 1 : 0;
            }
            assertTrue(probes > 0, p.name() + ": no probe is a valid value");
        }
    }

    @Test
    void eachParamHasATypedSetterThatRefusesABadValueInOneLine() throws Exception {
        for (Setting<?> s : OptionParams.trainParams()) {
            Param<Object> p = vae.getParam(OptionParams.name(s.key()));
            Method setter = VaeEstimator.class.getMethod("set" + Character.toUpperCase(p.name().charAt(0))
                    + p.name().substring(1), javaType(p));
            Object bad = null;
            for (Object value : probes(p)) {
                if (!accepts(s, OptionParams.text(value))) {
                    bad = value;
                }
            }
            if (bad == null) {
                continue;   // any text goes (none of the train options, so far)
            }
            Object refused = bad;
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> setter.invoke(vae, refused));
            assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
            String message = e.getCause().getMessage();
            assertTrue(message.startsWith(p.name() + ": ") && !message.contains("\n"), message);
        }
        assertEquals("latentDim: must be an integer ≥ 1 (got '0')",
                assertThrows(IllegalArgumentException.class, () -> vae.setLatentDim(0)).getMessage());
        assertEquals(3, vae.setLatentDim(3).getOrDefault(vae.getParam("latentDim")));
    }

    @Test
    void theOptionsThatAreNotParamsNameFilesPlaceRunsOrReadSources() {
        for (Setting<?> s : TrainSettings.ALL.all()) {
            if (s.isUri() || s.has(Setting.Trait.PLACES_RUN)) {
                assertTrue(s.has(Setting.Trait.COMMAND_ONLY), s.key() + " names files or places a run");
            }
        }
        for (String name : List.of("input", "inputTable", "test", "output", "modelRoot", "initFrom", "where",
                "features", "format", "checkpointEvery")) {
            assertFalse(vae.hasParam(name), name);
        }
    }

    @Test
    void copiesExplainAndKeepTheirOwnValues() {
        IntParam latent = (IntParam) (Param<?>) vae.getParam("latentDim");
        VaeEstimator copy = vae.copy(new ParamMap().put(latent.w(5)));
        assertEquals(5, copy.getOrDefault(copy.getParam("latentDim")));
        assertEquals(20, vae.getOrDefault(latent));
        assertEquals(vae.uid(), copy.uid());
        String explained = vae.explainParams();
        assertTrue(explained.contains("latentDim: Dimension of the latent variable t. (default: 20)"), explained);
        assertTrue(explained.contains("featuresCol: "), explained);
        assertEquals("4,2", OptionParams.text(vae.setHidden(4, 2).getOrDefault(vae.getParam("hidden"))));
        assertEquals("gaussian", vae.setLikelihood("gaussian").trainConfig().likelihood().key());
    }

    private static List<Object> probes(Param<?> p) {
        List<Object> out = new ArrayList<>();
        if (p instanceof IntParam) {
            for (int v : INTS) {
                out.add(v);
            }
        } else if (p instanceof LongParam) {
            for (long v : LONGS) {
                out.add(v);
            }
        } else if (p instanceof DoubleParam) {
            for (double v : DOUBLES) {
                out.add(v);
            }
        } else if (p instanceof IntArrayParam) {
            out.addAll(List.of((Object[]) SIZES));
        } else {
            out.addAll(List.of((Object[]) TEXTS));
        }
        assertNotNull(out);
        return out;
    }

    private static Class<?> javaType(Param<?> p) {
        if (p instanceof IntParam) {
            return int.class;
        }
        if (p instanceof LongParam) {
            return long.class;
        }
        if (p instanceof DoubleParam) {
            return double.class;
        }
        return p instanceof IntArrayParam ? int[].class : String.class;
    }

    private static boolean accepts(Setting<?> s, String text) {
        try {
            s.converter().parse(text.trim());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
