package de.prokommun.insights.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.events.ContributionDelta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class PinotAvroCodecTest {
    private static final PinotAvroCodec<ContributionDelta> CODEC = new PinotAvroCodec<>(ContributionDelta.class);

    @Test
    void aContributionComesBackAsItWasWithNullsAndPersonas() {
        ContributionDelta row = ContributionDelta.newBuilder().setCity("musterstadt").setMeasure("purchase").setDay(20_000)
                .setMonth(202412).setYear(2024).setParticipant("baeckerei-schmidt").setCategory(null).setAgeBand("25-49")
                .setGender("FEMALE").setDistrict(null).setHouseholdType("FAMILY").setPersonas(List.of("familie", "sportlich"))
                .setCount(-1).setQuantity(3).setAmountCents(Long.MIN_VALUE).setEventTime(1_728_000_000_000L)
                .setCounterpart("Grüße – 中文").build();
        assertThat(CODEC.decode(CODEC.encode(row))).isEqualTo(row);
    }

    @Test
    void theBytesArePlainAvroWithoutTheSingleObjectHeaderPinotCannotRead() {
        ContributionDelta row = ContributionDelta.newBuilder().setCity("c").setMeasure("m").setDay(1).setGender("UNKNOWN")
                .setHouseholdType("UNKNOWN").setCount(1).setEventTime(0).build();
        byte[] bytes = CODEC.encode(row);
        assertThat(bytes[0]).as("a string's zig-zag length, not the 0xC3 magic byte").isEqualTo((byte) 2);
        assertThatThrownBy(() -> CODEC.decode(new AvroCodec<>(ContributionDelta.class).encode(row)))
                .isInstanceOf(MalformedRecordException.class);
    }

    /** Pinot decodes with the schema in the table config: it must be the record's, or rows are misread. */
    @Test
    void theContributionsTableDecodesWithTheRecordsSchema() throws Exception {
        JsonNode table = new ObjectMapper().readTree(Files.readString(Path.of("../pinot/contributions.table.json")));
        JsonNode streams = table.path("tableIndexConfig").path("streamConfigs");
        assertThat(streams.path("stream.kafka.decoder.class.name").asText())
                .isEqualTo("org.apache.pinot.plugin.inputformat.avro.SimpleAvroMessageDecoder");
        Schema configured = new Schema.Parser().parse(streams.path("stream.kafka.decoder.prop.schema").asText());
        assertThat(configured).isEqualTo(CODEC.schema());
        assertThat(Topics.CONTRIBUTIONS.codec()).isInstanceOf(PinotAvroCodec.class);
    }
}
