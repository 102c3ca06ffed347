package com.sparkvae.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.SparkTestSupport;
import com.sparkvae.job.VisitsTable;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's Java example as a user ships it: compiled against the application jar and the line's Spark alone, put
 * in a jar of its own, and run by the real {@code spark-submit} with the application jar given by {@code --jars}
 * (Spark ML from the line's Spark, as clusters ship it).
 */
class ReadmeExampleSubmitIT {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(1);

    @TempDir
    Path dir;

    @Test
    void theExampleRunsUnderSparkSubmitWithTheApplicationJar() throws Exception {
        Path appJar = Path.of("target", "spark-vae-app-" + SparkTestSupport.sparkLine() + ".jar").toAbsolutePath();
        String spark = Files.readString(SparkTestSupport.sparkClasspathFile()).trim();
        String readme = Files.readString(Path.of("..", "README.md"));
        int at = readme.indexOf("```java\n", readme.indexOf("## Spark ML"));
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("VisitAnomalies.java"),
                readme.substring(at + "```java\n".length(), readme.indexOf("```\n", at + 8)));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-proc:none", "-cp",
                appJar + ":" + spark, "-d", classes.toString(), src.resolve("VisitAnomalies.java").toString());
        assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
        Path userJar = dir.resolve("visit-anomalies.jar");
        try (OutputStream raw = Files.newOutputStream(userJar); JarOutputStream jar = new JarOutputStream(raw)) {
            jar.putNextEntry(new JarEntry("VisitAnomalies.class"));
            jar.write(Files.readAllBytes(classes.resolve("VisitAnomalies.class")));
            jar.closeEntry();
        }
        String visits = dir.resolve("visits.parquet").toString();
        VisitsTable.frame(SPARK.session(), 300, 13).write().parquet(visits);

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        cmd.addAll(List.of(Files.readString(SparkTestSupport.sparkClasspathFile().resolveSibling("java17-opens.txt"))
                .trim().split("\\s+")));
        cmd.addAll(List.of("-Xmx1g", "-cp", spark, "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
                "--jars", appJar.toString(), "--class", "VisitAnomalies", userJar.toString(), visits,
                dir.resolve("model").toString()));
        Path log = dir.resolve("submit.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("spark-submit did not finish in 5 minutes: " + Files.readString(log));
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        String header = "\\|patient_id\\|neg_log_likelihood *\\|latent_mean *\\|";
        assertTrue(output.lines().anyMatch(l -> l.matches(header)), output);
        assertTrue(Files.isDirectory(dir.resolve("model/stages")), output);
    }
}
