package de.prokommun.insights.contract;

import de.prokommun.insights.events.PersonRecord;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Kafka key and partition of the topic person-records. The key is the row's identity, pseudonym + record id (Pinot's
 * primary key), so that Kafka's compaction keeps exactly the newest version of each record and removes superseded
 * ones, an erased person's content among them (issue 14). The partition is chosen by the pseudonym alone: all of a
 * person's records in one partition, and every version of one primary key with them (Pinot's upsert needs that).
 * It is Kafka's default partition of the pseudonym as a key, i.e. the partition the topic used while it was keyed by
 * the pseudonym alone, so the records written before keep their partition.
 */
public final class PersonRecordKeys {
    private PersonRecordKeys() {}

    /** "pseudonym/recordId". */
    public static String key(PersonRecord record) {
        return record.getPseudonym() + "/" + record.getRecordId();
    }

    /** The partition of every record of the person: Kafka's default partitioner (murmur2) applied to the pseudonym. */
    public static String partitionKey(PersonRecord record) {
        return record.getPseudonym();
    }

    /** The partition Kafka's default partitioner gives a record with this key among {@code partitions}. */
    public static int partitionOf(String partitionKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(partitionKey.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
