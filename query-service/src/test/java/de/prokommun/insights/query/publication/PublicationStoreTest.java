package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicationStoreTest {

    @TempDir
    Path dir;

    @Test
    void aPublicationReadsBackEqualCellForCell() throws Exception {
        Publication written = Musterstadt.publication(c -> c.hashCode() % 97);
        PublicationStore store = new PublicationStore(dir.resolve("publications"));
        assertThat(store.load("musterstadt")).isEmpty();
        store.save(written);
        Publication read = new PublicationStore(dir.resolve("publications")).load("musterstadt").orElseThrow();
        assertThat(read).isEqualTo(written);
        assertThat(read.cells().get("all")).hasSameSizeAs(written.cells().get("all")).isEqualTo(written.cells().get("all"));
        assertThat(read.sum("interest:sport", c -> c.gender().equals("FEMALE")))
                .isEqualTo(written.sum("interest:sport", c -> c.gender().equals("FEMALE")));
        // Replacing leaves exactly one file: no temporary left behind.
        store.save(Musterstadt.publication(c -> 1));
        try (var files = Files.list(dir.resolve("publications"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("musterstadt.json");
        }
        assertThat(store.load("musterstadt").orElseThrow().sum("all", c -> true))
                .isEqualTo(written.cells().get("all").size());
    }
}
