package de.prokommun.insights.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.PersonRecordKeys;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.PersonRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema.KafkaSinkContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/**
 * person-records as the profile job's sink writes it (issue 14): keyed by the record (pseudonym/record id), so that
 * Kafka's compaction removes superseded versions, and partitioned by the person, where Kafka's own partitioner put
 * the records while the topic was keyed by the pseudonym alone.
 */
class PersonRecordPartitionTest {

    private static final int PARTITIONS = 12;

    private static final KafkaSinkContext CONTEXT = new KafkaSinkContext() {
        @Override public int getParallelInstanceId() { return 0; }
        @Override public int getNumberOfParallelInstances() { return 1; }
        @Override public int[] getPartitionsForTopic(String topic) { return IntStream.range(0, PARTITIONS).toArray(); }
    };

    private static PersonRecord record(String pseudonym, String recordId) {
        return PersonRecord.newBuilder().setPseudonym(pseudonym).setCity("musterstadt").setRecordId(recordId)
                .setKind("purchase").setParticipant("baeckerei").setEventTime(0L).setVersion(1L).build();
    }

    @Test
    void eachRecordHasItsOwnKeyAndEveryRecordOfAPersonThePersonsPartition() {
        RegistryRecordSerializer<PersonRecord> sink = new RegistryRecordSerializer<>("prokommun.person-records",
                Topics.PERSON_RECORDS.baseName(), PersonRecordKeys::key, PersonRecordKeys::partitionKey);
        Set<Integer> partitionsUsed = new HashSet<>();
        for (int person = 0; person < 50; person++) {
            String pseudonym = "pseudonym-" + person;
            int before = BuiltInPartitioner.partitionForKey(pseudonym.getBytes(StandardCharsets.UTF_8), PARTITIONS);
            for (int receipt = 0; receipt < 20; receipt++) {
                String recordId = "purchase:baeckerei:R-" + receipt;
                ProducerRecord<byte[], byte[]> out = sink.serialize(record(pseudonym, recordId), CONTEXT, null);
                assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo(pseudonym + "/" + recordId);
                assertThat(out.partition()).as("Kafka's partition of the pseudonym as the key").isEqualTo(before);
            }
            partitionsUsed.add(before);
        }
        assertThat(partitionsUsed).as("persons spread over the partitions").hasSizeGreaterThan(PARTITIONS / 2);
    }

    @Test
    void theTopicIsCompactedLikeProfiles() {
        assertThat(Topics.PERSON_RECORDS.retention()).isEqualTo(Topics.PROFILES.retention());
    }

    @Test
    void otherTopicsLeaveThePartitionToKafka() {
        RegistryRecordSerializer<PersonRecord> byKey = new RegistryRecordSerializer<>("t",
                Topics.PERSON_RECORDS.baseName(), PersonRecord::getPseudonym);
        assertThat(byKey.serialize(record("p", "r"), CONTEXT, null).partition()).isNull();
    }
}
