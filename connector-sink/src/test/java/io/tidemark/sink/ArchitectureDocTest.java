package io.tidemark.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md names the sink's classes and methods ({@code `apply.Lifecycle`},
 * {@code `FlushFailures.reconcile`}) and the tests that prove its rules: each must exist, so the
 * page cannot drift from the code unnoticed. (Integration tests, {@code *IT}, live in another
 * module and are not checked here.)
 */
class ArchitectureDocTest {

    private static final Path DOC = Path.of("..", "docs", "architecture.md");
    private static final List<String> PACKAGES = List.of("", "apply.", "iteration.", "control.", "offsets.", "schema.",
            "errors.", "config.", "license.", "metrics.", "record.", "naming.", "types.");
    /** {@code `pkg.Class`}, {@code `Class`}, optionally {@code .method}. */
    private static final Pattern NAME = Pattern.compile("`((?:[a-z]+\\.)*)([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)"
            + "(?:\\.([a-z][A-Za-z0-9]*))?`");

    @Test
    void everyClassAndMethodTheArchitectureNamesExists() throws Exception {
        Matcher m = NAME.matcher(Files.readString(DOC));
        List<String> missing = new ArrayList<>();
        int checked = 0;
        while (m.find()) {
            String pkg = m.group(1);
            String simple = m.group(2);
            String method = m.group(3);
            if (simple.endsWith("IT") || "md".equals(method)) {
                continue;
            }
            Class<?> type = resolve(pkg, simple);
            checked++;
            if (type == null) {
                missing.add(m.group());
            } else if (method != null && Arrays.stream(type.getDeclaredMethods()).noneMatch(x -> x.getName().equals(method))) {
                missing.add(m.group() + " (no such method)");
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(missing).as("names in docs/architecture.md that the code does not have").isEmpty();
    }

    private static Class<?> resolve(String pkg, String simple) {
        List<String> candidates = new ArrayList<>();
        if (pkg.startsWith("common.")) {
            candidates.add("io.tidemark." + pkg + simple);
        } else if (!pkg.isEmpty()) {
            candidates.add("io.tidemark.sink." + pkg + simple);
        } else {
            PACKAGES.forEach(p -> candidates.add("io.tidemark.sink." + p + simple));
        }
        for (String name : candidates) {
            try {
                return Class.forName(name, false, ArchitectureDocTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // try the next package
            }
        }
        return null;
    }
}
