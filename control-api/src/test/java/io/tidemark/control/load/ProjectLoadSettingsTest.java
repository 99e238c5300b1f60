package io.tidemark.control.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tidemark.control.project.ConnectorFile;

/** The bulk load's workers come from the project's source file, checked before anything starts. */
class ProjectLoadSettingsTest {

    private static ConnectorFile source(String workers) {
        Map<String, String> config = new HashMap<>(Map.of("iteration.initial.load", "bulk"));
        if (workers != null) {
            config.put("iteration.initial.load.workers", workers);
        }
        return new ConnectorFile("shop-source", Path.of("connectors/shop-source.json"), config);
    }

    @Test
    void fourWorkersUnlessTheSourceFileSaysOtherwise() {
        assertThat(ProjectLoad.settings(source(null))).isEqualTo(BulkLoad.Settings.defaults());
        assertThat(ProjectLoad.settings(source(null)).workers()).isEqualTo(4);
        assertThat(ProjectLoad.settings(source(" 12 ")).workers()).isEqualTo(12);
        assertThat(ProjectLoad.settings(source("64")).workers()).isEqualTo(64);
        assertThat(ProjectLoad.settings(source("1")).chunksPerWorker())
                .isEqualTo(BulkLoad.Settings.defaults().chunksPerWorker());
    }

    @Test
    void aValueThatIsNoNumberOfWorkersIsRefusedWithTheFileAndTheBounds() {
        for (String bad : new String[] {"0", "65", "-2", "four", "2.5"}) {
            assertThatThrownBy(() -> ProjectLoad.settings(source(bad))).as(bad)
                    .isInstanceOf(BulkLoadException.class)
                    .hasMessageContaining("iteration.initial.load.workers in connectors/shop-source.json is '" + bad + "'")
                    .hasMessageContaining("from 1 to 64");
        }
    }
}
