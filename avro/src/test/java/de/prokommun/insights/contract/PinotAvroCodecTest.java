package de.prokommun.insights.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.events.ContributionDelta;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
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

    /** The generated coders and the reused buffer are an optimisation: Pinot must read the very same bytes. */
    @Test
    void theBytesAreThoseOfAvrosGenericWriter() throws Exception {
        for (ContributionDelta row : List.of(row(0), row(7), fullRow())) {
            ByteArrayOutputStream generic = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(generic, null);
            new SpecificDatumWriter<>(ContributionDelta.getClassSchema()).write(row, encoder);
            encoder.flush();
            assertThat(CODEC.encode(row)).isEqualTo(generic.toByteArray());
        }
    }

    /** The sink writers of all subtasks share the registry's codec, each on its own thread. */
    @Test
    void threadsEncodingAtOnceEachGetTheirOwnRecordsWhole() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 100_000;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        ContributionDelta row = row(offset + i);
                        assertThat(CODEC.decode(CODEC.encode(row))).isEqualTo(row);
                    }
                    return 5_000;
                }));
            }
            for (Future<Integer> f : done) assertThat(f.get()).isEqualTo(5_000);
        } finally {
            threads.shutdownNow();
        }
    }

    private static ContributionDelta row(int i) {
        return ContributionDelta.newBuilder().setCity("c" + i).setMeasure("m".repeat(1 + i % 300)).setDay(i)
                .setGender("UNKNOWN").setHouseholdType("UNKNOWN").setCount(i).setEventTime(i * 1000L).build();
    }

    private static ContributionDelta fullRow() {
        return ContributionDelta.newBuilder().setCity("musterstadt").setMeasure("shared_customer_year").setDay(20_000)
                .setMonth(202412).setYear(2024).setParticipant("baeckerei-schmidt").setCategory("lebensmittel.backwaren")
                .setAgeBand("25-49").setGender("FEMALE").setDistrict("Altstadt").setHouseholdType("FAMILY")
                .setPersonas(List.of("familie", "sportlich", "ü")).setCount(Long.MAX_VALUE).setQuantity(-3)
                .setAmountCents(Long.MIN_VALUE).setEventTime(-1).setCounterpart("metzgerei-brand").build();
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
