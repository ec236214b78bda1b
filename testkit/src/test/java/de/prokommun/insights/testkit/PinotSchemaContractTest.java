package de.prokommun.insights.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.events.ProfileRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The Pinot schema of profiles mirrors the Avro record ProfileRow field by field (the one contract). */
class PinotSchemaContractTest {

    @Test
    void everyProfileRowFieldIsAColumnOfTheMatchingTypeAndNothingElse() throws IOException {
        Map<String, JsonNode> columns = columns(PinotTables.PROFILES.schemaFile());
        Schema avro = ProfileRow.getClassSchema();
        assertThat(columns.keySet()).containsExactlyInAnyOrderElementsOf(
                avro.getFields().stream().map(Schema.Field::name).toList());
        for (Schema.Field field : avro.getFields()) {
            Schema type = nonNull(field.schema());
            JsonNode column = columns.get(field.name());
            boolean multiValue = type.getType() == Schema.Type.ARRAY;
            assertThat(!column.path("singleValueField").asBoolean(true)).as(field.name()).isEqualTo(multiValue);
            Schema element = multiValue ? type.getElementType() : type;
            assertThat(column.path("dataType").asText()).as(field.name()).isEqualTo(pinotType(element));
        }
    }

    @Test
    void thePrimaryKeyIsCityAndPseudonymAndTheTimeColumnIsUpdatedAt() throws IOException {
        JsonNode schema = read(PinotTables.PROFILES.schemaFile());
        // the city too: two cities in one deployment (issue 17)
        assertThat(schema.path("primaryKeyColumns").toString()).isEqualTo("[\"city\",\"pseudonym\"]");
        assertThat(schema.at("/dateTimeFieldSpecs/0/name").asText()).isEqualTo("updatedAt");
        assertThat(schema.at("/dateTimeFieldSpecs/0/format").asText()).isEqualTo("1:MILLISECONDS:EPOCH");
    }

    private static String pinotType(Schema avro) {
        return switch (avro.getType()) {
            case BOOLEAN -> "BOOLEAN";
            case INT -> "INT";
            case LONG -> "LONG";
            case DOUBLE -> "DOUBLE";
            case STRING, ENUM -> "STRING";
            default -> throw new IllegalArgumentException("no Pinot type for " + avro);
        };
    }

    private static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) return s;
        return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }

    private static Map<String, JsonNode> columns(String file) throws IOException {
        JsonNode schema = read(file);
        Map<String, JsonNode> columns = new HashMap<>();
        for (String kind : new String[] {"dimensionFieldSpecs", "metricFieldSpecs", "dateTimeFieldSpecs"}) {
            schema.path(kind).forEach(c -> columns.put(c.path("name").asText(), c));
        }
        return columns;
    }

    private static JsonNode read(String file) throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("pinot").resolve(file);
            if (Files.exists(candidate)) return new ObjectMapper().readTree(candidate.toFile());
        }
        throw new IllegalStateException("pinot/" + file + " not found upwards from " + Path.of("").toAbsolutePath());
    }
}
