package de.prokommun.insights.flink.events;

/**
 * A Kafka record as it came off a topic, not yet decoded: decoding happens in an operator so that bytes
 * that are not a valid record become dead letters instead of failing the source. A Flink POJO.
 */
public class RawRecord {
    public String topic;
    public int partition;
    public long offset;
    public byte[] value;

    public RawRecord() {}

    public RawRecord(String topic, int partition, long offset, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.value = value;
    }

    @Override
    public String toString() {
        return "RawRecord{" + topic + "-" + partition + "@" + offset + ", " + (value == null ? 0 : value.length) + " bytes}";
    }
}
