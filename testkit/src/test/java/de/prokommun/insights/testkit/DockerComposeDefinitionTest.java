package de.prokommun.insights.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker/ must use the same Pinot definition as the local mode: the compose file mounts ../pinot, and the
 * table files agree with the registry (topic names with the default prefix, read_committed isolation).
 * Static checks only: no Docker engine is needed.
 */
class DockerComposeDefinitionTest {

    private static final Path ROOT = repositoryRoot();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Settings DEFAULTS = Settings.of(Map.of());

    @Test
    void theComposeFileMountsThePinotDirectoryIntoTheServiceThatCreatesTheTables() throws IOException {
        JsonNode services = compose().path("services");
        List<String> mounting = new ArrayList<>();
        services.fields().forEachRemaining(service -> {
            for (JsonNode volume : service.getValue().path("volumes")) {
                if (volume.asText().startsWith("../pinot:")) mounting.add(service.getKey());
            }
        });
        assertThat(mounting).containsExactly("pinot-tables");
        JsonNode tables = services.path("pinot-tables");
        String target = tables.path("volumes").get(0).asText().split(":")[1];
        assertThat(tables.path("command").toString()).contains(target + "/*.schema.json").contains("AddTable")
                .contains(".table.json");
        assertThat(tables.path("image").asText()).startsWith("apachepinot/pinot:1.");
    }

    @Test
    void everyTableHasItsFilesAndReadsTheRegistrysTopicCommittedOnly() throws IOException {
        String kafka = compose().at("/services/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText()
                .replace("PLAINTEXT://", "");
        for (PinotTables.Table table : PinotTables.ALL) {
            JsonNode schema = JSON.readTree(ROOT.resolve("pinot").resolve(table.schemaFile()).toFile());
            JsonNode config = JSON.readTree(ROOT.resolve("pinot").resolve(table.tableConfigFile()).toFile());
            assertThat(schema.path("schemaName").asText()).isEqualTo(table.name());
            assertThat(config.path("tableName").asText()).isEqualTo(table.name());
            JsonNode stream = config.at("/tableIndexConfig/streamConfigs");
            assertThat(stream.path("stream.kafka.topic.name").asText()).as(table.name())
                    .isEqualTo(table.source().name(DEFAULTS));
            assertThat(stream.path("stream.kafka.isolation.level").asText()).isEqualTo("read_committed");
            assertThat(stream.has("stream.kafka.consumer.prop.isolation.level")).isFalse();
            assertThat(stream.path("stream.kafka.broker.list").asText()).isEqualTo(kafka);
        }
    }

    @Test
    void theProfilesUpsertTableDeletesErasedPeopleInPinot1() throws IOException {
        JsonNode config = JSON.readTree(ROOT.resolve("pinot").resolve(PinotTables.PROFILES.tableConfigFile()).toFile());
        assertThat(config.at("/upsertConfig/mode").asText()).isEqualTo("FULL");
        assertThat(config.at("/upsertConfig/deleteRecordColumn").asText()).isEqualTo("deleted");
        assertThat(config.at("/routing/instanceSelectorType").asText()).isEqualTo("strictReplicaGroup");
    }

    @Test
    void theTopicInitCreatesEveryTopicOfTheRegistry() throws IOException {
        String command = compose().at("/services/kafka-topics/command").toString();
        for (Topic<?> topic : Topics.ALL) {
            assertThat(command).contains("--topic " + topic.name(DEFAULTS) + " ");
        }
        assertThat(command).contains("--topic " + Topics.PROFILES.name(DEFAULTS) + " --config cleanup.policy=compact");
    }

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker").resolve("docker-compose.yml").toFile());
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("docker").resolve("docker-compose.yml"))) return dir;
        }
        throw new IllegalStateException("docker/docker-compose.yml not found upwards from " + Path.of("").toAbsolutePath());
    }
}
