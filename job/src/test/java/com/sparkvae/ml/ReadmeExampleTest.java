package com.sparkvae.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.VisitsTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.spark.ml.PipelineModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** README.md's Spark ML example, as a user would take it: its Java compiled on its own, then run. */
class ReadmeExampleTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);

    @TempDir
    Path dir;

    @Test
    void theReadmesJavaExampleCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int at = readme.indexOf("```java\n", readme.indexOf("## Spark ML"));
        String source = readme.substring(at + "```java\n".length(), readme.indexOf("```\n", at + 8));
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("VisitAnomalies.java"), source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        // -proc:none: no search of the whole test class path for annotation processors.
        int rc = javac.run(null, null, errors, "-proc:none", "-cp", System.getProperty("java.class.path"), "-d",
                classes.toString(), src.resolve("VisitAnomalies.java").toString());
        assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));

        String visits = dir.resolve("visits.parquet").toString();
        VisitsTable.frame(SPARK.session(), 300, 9).write().parquet(visits);
        String saved = dir.resolve("model").toString();
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass("VisitAnomalies").getMethod("main", String[].class);
            // Dataset.show prints through Scala's Console, whose stream is its own, not System.out.
            scala.Console$.MODULE$.withOut(new PrintStream(shown, true, StandardCharsets.UTF_8),
                    new scala.runtime.AbstractFunction0<Object>() {
                        @Override
                        public Object apply() {
                            try {
                                return main.invoke(null, (Object) new String[] {visits, saved});
                            } catch (ReflectiveOperationException e) {
                                throw new IllegalStateException("the example failed", e);
                            }
                        }
                    });
        }
        String table = shown.toString(StandardCharsets.UTF_8);
        String header = "\\|patient_id\\|neg_log_likelihood *\\|latent_mean *\\|";
        assertTrue(table.lines().anyMatch(l -> l.matches(header)), table);
        assertEquals(5, table.lines().filter(l -> l.startsWith("|P")).count(), table);
        VaeModel model = (VaeModel) PipelineModel.load(saved).stages()[2];
        assertEquals("scaled", model.getOrDefault(model.getParam("featuresCol")));
        assertEquals(VisitsTable.MEASUREMENTS, model.numFeatures());
    }
}
