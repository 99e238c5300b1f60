package io.tidemark.sink.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** docs/sink.md carries the configuration reference exactly as the code defines it. */
class ConfigDocsTest {

    private static final Path DOC = Path.of("..", "docs", "sink.md");

    @Test
    void docsListEveryKeyAsTheCodeDefinesIt() throws Exception {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(ConfigDocs.BEGIN);
        int end = doc.indexOf(ConfigDocs.END);
        assertThat(begin).as("generated section in " + DOC).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String expected = ConfigDocs.markdown();
        String actual = doc.substring(begin + ConfigDocs.BEGIN.length(), end);
        if (System.getProperty("update.docs") != null && !actual.equals(expected)) {
            Files.writeString(DOC, doc.substring(0, begin + ConfigDocs.BEGIN.length()) + expected + doc.substring(end));
            return;
        }
        assertThat(actual).as("docs/sink.md is out of date: rerun with -Dupdate.docs").isEqualTo(expected);
    }
}
