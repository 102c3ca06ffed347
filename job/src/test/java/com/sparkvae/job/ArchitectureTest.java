package com.sparkvae.job;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's package table is the rule: each package of the job module (the job's, and the Spark ML
 * stages') uses only the packages and libraries its row names, nothing depends in a cycle, and the packages the
 * table names are the packages there are.
 */
class ArchitectureTest {
    private static final String JOB = "com.sparkvae.job";
    /** The Spark ML stages, in the job module beside the job's packages. */
    private static final String ML = "com.sparkvae.ml";
    /** The libraries the table names, as the packages they are. */
    private static final Map<String, String> LIBRARIES = Map.of("Jackson", "com.fasterxml.jackson..",
            "JFreeChart", "org.jfree..", "picocli", "picocli..");
    private static JavaClasses classes;
    private static Map<String, Set<String>> table;

    @BeforeAll
    static void readTheTableAndTheClasses() throws IOException {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.sparkvae");
        table = packageTable(Path.of("..", "docs", "architecture.md"));
    }

    @Test
    void thePackagesTheTableNamesAreThePackagesThereAre() {
        Set<String> actual = new java.util.TreeSet<>();
        classes.stream().map(c -> c.getPackageName()).filter(p -> p.startsWith(JOB) || p.startsWith(ML))
                .forEach(actual::add);
        assertEquals(new java.util.TreeSet<>(table.keySet()), actual);
    }

    @Test
    void eachPackageUsesOnlyWhatItsRowNames() {
        Set<String> violations = new java.util.TreeSet<>();
        for (Map.Entry<String, Set<String>> row : table.entrySet()) {
            String pkg = row.getKey();
            List<String> forbidden = new ArrayList<>();
            for (String other : table.keySet()) {
                if (!other.equals(pkg) && !row.getValue().contains(other)) {
                    forbidden.add(other);
                }
            }
            if (!row.getValue().contains("com.sparkvae.model")) {
                forbidden.add("com.sparkvae.model..");
            }
            LIBRARIES.forEach((name, library) -> {
                if (!row.getValue().contains(name)) {
                    forbidden.add(library);
                }
            });
            noClasses().that().resideInAPackage(pkg).should().dependOnClassesThat()
                    .resideInAnyPackage(forbidden.toArray(String[]::new)).evaluate(classes).getFailureReport()
                    .getDetails().forEach(d -> violations.add(pkg + " -> " + target(d)));
        }
        assertEquals(Set.of(), violations, "uses that docs/architecture.md's table does not name");
    }

    /** The package a violation's detail line depends on: the last class named in angle brackets. */
    private static String target(String detail) {
        Matcher m = Pattern.compile("<([a-zA-Z0-9_.$]+)[^<>]*>").matcher(detail);
        String last = detail;
        while (m.find()) {
            last = m.group(1);
        }
        String[] parts = last.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    @Test
    void thePackagesDependInOneDirection() {
        slices().matching("com.sparkvae.job.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theStoreAndTheModelKnowNothingOfSpark() {
        noClasses().that().resideInAnyPackage(JOB + ".store..", "com.sparkvae.model..").should()
                .dependOnClassesThat().resideInAPackage("org.apache.spark..").check(classes);
    }

    /** Package to what it uses, from the table's rows: {@code | `cli` | ... | root, train, ... |}. */
    static Map<String, Set<String>> packageTable(Path doc) throws IOException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z.]+)` \\|.*\\| ([^|]+) \\|$");
        for (String line : Files.readAllLines(doc)) {
            Matcher m = row.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String pkg = m.group(1).startsWith("com.sparkvae.") ? m.group(1) : JOB + "." + m.group(1);
            Set<String> uses = new LinkedHashSet<>();
            for (String used : m.group(2).replaceAll("\\([^)]*\\)", "").split(",")) {
                String u = used.trim();
                uses.add(switch (u) {
                    case "root" -> JOB;
                    case "model" -> "com.sparkvae.model";
                    default -> LIBRARIES.containsKey(u) ? u : JOB + "." + u;
                });
            }
            out.put(pkg, uses);
        }
        assertTrue(out.size() >= 8, "the table's rows: " + out);
        return out;
    }
}
