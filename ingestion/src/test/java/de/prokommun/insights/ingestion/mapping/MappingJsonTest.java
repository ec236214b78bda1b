package de.prokommun.insights.ingestion.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MappingJsonTest {

    private static MappingUpload parse(String json) throws MappingJson.Malformed {
        return MappingJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsMappingsAndNullAsRemoval() throws Exception {
        MappingUpload upload = parse("{\"mappings\":[{\"productGroup\":\"Brötchen\",\"category\":\"lebensmittel.backwaren\"},"
                + "{\"productGroup\":\"Alt\",\"category\":null}]}");

        assertThat(upload.errors()).isEmpty();
        assertThat(upload.rows()).containsExactly(new MappingRow(1, 0, "Brötchen", "lebensmittel.backwaren"),
                new MappingRow(2, 0, "Alt", null));
    }

    @Test
    void aMissingCategoryIsAnErrorNotARemoval() throws Exception {
        MappingUpload upload = parse("{\"mappings\":[{\"productGroup\":\"A\"},{\"productGroup\":3,\"category\":\"x\","
                + "\"categry\":\"y\"}],\"extra\":1}");

        assertThat(upload.rows()).isEmpty();
        assertThat(upload.errors()).extracting(RowError::row, RowError::field).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(0, "extra"),
                org.assertj.core.groups.Tuple.tuple(1, "mappings[0].category"),
                org.assertj.core.groups.Tuple.tuple(2, "mappings[1].categry"),
                org.assertj.core.groups.Tuple.tuple(2, "mappings[1].productGroup"));
    }

    @Test
    void malformedOrDuplicateKeysAreMalformedJson() {
        assertThatThrownBy(() -> parse("{\"mappings\":[}")).isInstanceOf(MappingJson.Malformed.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> parse("{\"mappings\":[],\"mappings\":[]}")).isInstanceOf(MappingJson.Malformed.class)
                .hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> parse("[1]")).isInstanceOf(MappingJson.Malformed.class);
    }

    @Test
    void anEmptyListIsAnError() throws Exception {
        assertThat(parse("{\"mappings\":[]}").errors()).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("empty"));
    }
}
