package de.prokommun.insights.flink.profile;

/**
 * All the profile operator keeps of a person after erasure or withdrawal (a Flink POJO): the last versions it wrote,
 * of the profile's deletion row and of the records' deletion rows. A later profile of the same pseudonym (consent
 * given again, or a registration whose event time lies before the erasure's) continues from them, so every row it
 * writes outranks the deletion rows in Pinot and is the newest of its key in Kafka — otherwise Kafka's compaction
 * would keep a lower version with content that Pinot never serves (issue 14). Nothing of the person's content.
 */
public class ErasedVersions {
    public long profileVersion;
    public long recordVersion;

    public ErasedVersions() {}

    ErasedVersions(long profileVersion, long recordVersion) {
        this.profileVersion = profileVersion;
        this.recordVersion = recordVersion;
    }
}
