package io.tidemark.control.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Docs that cannot drift: every class (and method) docs/architecture.md names in backticks exists
 * where it says (the package prefix included), and every test any page of docs/ names exists.
 */
class DocsNameRealCodeTest {

    private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    /** {@code writer.SinkWriter}, {@code OffsetStore.claim/save}, {@code common.marker.IterationMarker}. */
    private static final Pattern CODE = Pattern.compile("`((?:[a-z]+\\.)*)([A-Z][a-z][A-Za-z0-9]*)(?:\\.([a-z][A-Za-z0-9/]*))?`");
    private static final Pattern TEST = Pattern.compile("\\b([A-Z][a-z][A-Za-z0-9]*(?:Test|IT))\\b");
    private static final Map<String, List<Path>> SOURCES = new HashMap<>();

    @BeforeAll
    static void index() throws IOException {
        try (Stream<Path> files = Files.walk(REPO)) {
            files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/")
                    && !f.toString().contains("/.git/")).forEach(f -> SOURCES.computeIfAbsent(
                    f.getFileName().toString().replace(".java", ""), k -> new ArrayList<>()).add(f));
        }
    }

    @Test
    void everyClassAndMethodArchitectureMdNamesExists() throws IOException {
        String doc = Files.readString(REPO.resolve("docs/architecture.md"));
        List<String> missing = new ArrayList<>();
        int named = 0;
        Matcher m = CODE.matcher(doc);
        while (m.find()) {
            named++;
            String packages = m.group(1).replace('.', '/');
            String cls = m.group(2);
            List<Path> files = SOURCES.getOrDefault(cls, List.of()).stream()
                    .filter(f -> f.getParent().toString().replace('\\', '/').endsWith(packages.isEmpty() ? ""
                            : packages.substring(0, packages.length() - 1))).toList();
            if (files.isEmpty()) {
                missing.add(m.group() + ": no " + (packages.isEmpty() ? "" : packages) + cls + ".java");
                continue;
            }
            if (m.group(3) != null) {
                String source = Files.readString(files.get(0));
                for (String method : m.group(3).split("/")) {
                    if (!Pattern.compile("\\b" + method + "\\s*\\(").matcher(source).find()) {
                        missing.add(m.group() + ": " + files.get(0).getFileName() + " has no " + method + "(…)");
                    }
                }
            }
        }
        assertThat(named).as("classes named in docs/architecture.md").isGreaterThan(40);
        assertThat(missing).isEmpty();
    }

    @Test
    void everyTestTheDocsNameExists() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
            for (Path doc : docs.filter(d -> d.toString().endsWith(".md")).toList()) {
                Matcher m = TEST.matcher(Files.readString(doc));
                while (m.find()) {
                    if (!SOURCES.containsKey(m.group(1))) {
                        missing.add(doc.getFileName() + " names " + m.group(1));
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }
}
