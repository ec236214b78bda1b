package de.prokommun.insights.flink.records;

/**
 * What the person-record book remembers of one live record (a Flink POJO): enough to emit the record's deletion
 * (same primary key, higher version) when it is retracted, expires, or the person is erased.
 */
public class LiveRecord {
    public String recordId;
    public String kind;
    public String participant;
    public long eventTime;
    public String receipt;
    public long version;

    public LiveRecord() {}
}
