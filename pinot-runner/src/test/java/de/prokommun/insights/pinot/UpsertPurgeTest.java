package de.prokommun.insights.pinot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of the purge: which rows a query names, and how a Kafka row is matched to the broker's answer. */
class UpsertPurgeTest {

    private static final UpsertPurge.Table RECORDS = new UpsertPurge.Table("person_records", "t",
            List.of("pseudonym", "recordId"), "version");

    @Test
    void oneKeyColumnIsAnInListAndACompositeKeyAnOrOfConjunctionsWithQuotesEscaped() {
        assertThat(UpsertPurge.keyFilter(List.of("pseudonym"), List.of(List.of("a"), List.of("b'c"))))
                .isEqualTo("pseudonym IN ('a', 'b''c')");
        assertThat(UpsertPurge.keyFilter(List.of("pseudonym", "recordId"),
                List.of(List.of("a", "purchase:x:1"), List.of("b", "event:y:2"))))
                .isEqualTo("(pseudonym = 'a' AND recordId = 'purchase:x:1') OR (pseudonym = 'b' AND recordId = 'event:y:2')");
    }

    @Test
    void aKafkaRowIsIdentifiedByItsKeyAndComparisonValueAsTheBrokerRendersThem() {
        byte[] row = "{\"pseudonym\":\"a\",\"recordId\":\"purchase:x:1\",\"version\":1733380000000123,\"deleted\":false}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(UpsertPurge.idOf(RECORDS, row)).isEqualTo("a\u001fpurchase:x:1\u001f1733380000000123\u001f");
        byte[] newer = "{\"pseudonym\":\"a\",\"recordId\":\"purchase:x:1\",\"version\":1733380000000124}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(UpsertPurge.idOf(RECORDS, newer)).as("another version is another row").isNotEqualTo(UpsertPurge.idOf(RECORDS, row));
        assertThat(UpsertPurge.idOf(RECORDS, "not json".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(UpsertPurge.idOf(RECORDS, "[1]".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void aPipelineRecordThatSlippedInBeforeTheReSentCopyIsSentAgainBehindIt() {
        // key a: the pipeline wrote a newer version (offset 105) after the scan and before the copy (offset 110);
        // key b: the pipeline wrote after the copy (offset 120), which is the newest already; key c: nothing new
        List<UpsertPurge.Written> between = List.of(written("a", 101), written("a", 105), written("b", 120),
                written("c", 111), written("x", 103));
        var again = UpsertPurge.overtaken(between, java.util.Map.of("a", 110L, "b", 112L, "c", 111L));
        assertThat(again).containsOnlyKeys("a");
        assertThat(again.get("a").offset()).as("the latest of them").isEqualTo(105);
    }

    @Test
    void onlyTheSegmentsAfterEachPartitionsCleanMarkAreChecked() {
        List<String> segments = List.of(seg(0, 0), seg(0, 1), seg(0, 2), seg(1, 0), seg(1, 1));
        assertThat(UpsertPurge.uncheckedSegments(segments, java.util.Map.of())).isEqualTo(segments);
        assertThat(UpsertPurge.uncheckedSegments(segments, java.util.Map.of(0, 1, 1, 0)))
                .containsExactly(seg(0, 2), seg(1, 1));
    }

    @Test
    void aRunMovesTheMarkToTheHighestCompletedSegmentUnlessOneOfThePartitionWasLeftAlone() {
        var marks = UpsertPurge.advancedCleanThrough(List.of(seg(0, 0), seg(0, 1), seg(1, 0), seg(1, 1), seg(1, 2)),
                List.of(seg(1, 1)), java.util.Map.of(1, 0));
        assertThat(marks).containsEntry(0, 1).containsEntry(1, 0).hasSize(2);
        assertThat(UpsertPurge.advancedCleanThrough(List.of(), List.of(), java.util.Map.of(0, 4))).containsEntry(0, 4);
    }

    private static String seg(int partition, int sequence) {
        return "person_records__" + partition + "__" + sequence + "__20261206T1945Z";
    }

    private static UpsertPurge.Written written(String key, long offset) {
        return new UpsertPurge.Written(key, offset, null);
    }
}
