package de.prokommun.insights.pinot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of the purge: which rows a query names, how a Kafka row is matched to the broker's answer, and which
 * segments a run rewrites when.
 */
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
    void aRunMovesEachPartitionsMarkToItsHighestCompletedSegment() {
        var marks = UpsertPurge.advancedCleanThrough(List.of(seg(0, 0), seg(0, 1), seg(1, 0), seg(1, 1), seg(1, 2)),
                java.util.Map.of(1, 0));
        assertThat(marks).containsEntry(0, 1).containsEntry(1, 2).hasSize(2);
        assertThat(UpsertPurge.advancedCleanThrough(List.of(), java.util.Map.of(0, 4))).containsEntry(0, 4);
    }

    @Test
    void aDeletionIsDueTheMaxDelayAfterItsVersionTimeAndTheEarliestDeletionOfASegmentCounts() {
        Instant now = Instant.parse("2026-12-07T06:00:00Z");
        Duration delay = Duration.ofHours(6);
        long twoHoursAgo = micros(now.minus(Duration.ofHours(2)));
        var due = UpsertPurge.mergedDue(java.util.Map.of(), java.util.Map.of(seg(0, 1), twoHoursAgo), now, delay);
        assertThat(due).containsEntry(seg(0, 1), now.plus(Duration.ofHours(4)));
        // a later run finds an earlier deletion in the same segment (its deletion row was rewritten, say), and a later one
        var again = UpsertPurge.mergedDue(due, java.util.Map.of(seg(0, 1), micros(now.minus(Duration.ofHours(5)))), now, delay);
        assertThat(again).containsEntry(seg(0, 1), now.plus(Duration.ofHours(1)));
        var later = UpsertPurge.mergedDue(again, java.util.Map.of(seg(0, 1), micros(now)), now, delay);
        assertThat(later).as("a later deletion never postpones the segment").containsEntry(seg(0, 1), now.plus(Duration.ofHours(1)));
    }

    @Test
    void aVersionAfterNowCountsAsNowAndOneThatIsNoTimeMakesTheSegmentDueAtOnce() {
        Instant now = Instant.parse("2026-12-07T06:00:00Z");
        Duration delay = Duration.ofHours(6);
        var due = UpsertPurge.mergedDue(java.util.Map.of(), java.util.Map.of(
                seg(0, 1), micros(now.plus(Duration.ofDays(400))),
                seg(0, 2), 17L), now, delay);
        assertThat(due.get(seg(0, 1))).isEqualTo(now.plus(delay));
        assertThat(due.get(seg(0, 2))).isBefore(now);
    }

    @Test
    void aSegmentIsRewrittenWhenADeletionInItIsDueOrWhenMostOfItIsNoLongerServedNotBefore() {
        Instant now = Instant.parse("2026-12-07T06:00:00Z");
        List<UpsertPurge.SegmentRows> completed = List.of(
                new UpsertPurge.SegmentRows(seg(0, 0), 500_000, 499_990),  // a due deletion: rewritten
                new UpsertPurge.SegmentRows(seg(0, 1), 500_000, 499_000),  // a deletion not yet due: stays
                new UpsertPurge.SegmentRows(seg(0, 2), 10_000, 4_000),     // 60 % no longer served: compacted
                new UpsertPurge.SegmentRows(seg(0, 3), 10_000, 0),         // serves nothing: dropped
                new UpsertPurge.SegmentRows(seg(0, 4), 10_000, 5_001),     // 49.99 %: stays
                new UpsertPurge.SegmentRows(seg(0, 5), 0, 0));             // empty: stays
        var due = java.util.Map.of(seg(0, 0), now, seg(0, 1), now.plusSeconds(1), seg(0, 9), now.minusSeconds(5));
        var chosen = UpsertPurge.toRewrite(completed, due, now, 0.5);
        assertThat(chosen).containsExactly(
                java.util.Map.entry(seg(0, 0), UpsertPurge.Reason.DELETION_DUE),
                java.util.Map.entry(seg(0, 2), UpsertPurge.Reason.MOSTLY_INVALID),
                java.util.Map.entry(seg(0, 3), UpsertPurge.Reason.MOSTLY_INVALID));
        assertThat(UpsertPurge.toRewrite(completed, due, now.plusSeconds(1), 1.0))
                .as("a share of 1 compacts only what serves nothing; the consuming segment (0, 9) is never chosen")
                .containsOnlyKeys(seg(0, 0), seg(0, 1), seg(0, 3));
    }

    @Test
    void aPolicyRefusesAShareOutsideZeroToOneAndANegativeDelay() {
        assertThatThrownBy(() -> new UpsertPurge.Policy(0, Duration.ZERO)).hasMessageContaining("minInvalidShare");
        assertThatThrownBy(() -> new UpsertPurge.Policy(1.5, Duration.ZERO)).hasMessageContaining("minInvalidShare");
        assertThatThrownBy(() -> new UpsertPurge.Policy(0.5, Duration.ofSeconds(-1))).hasMessageContaining("maxDelay");
    }

    private static long micros(Instant t) {
        return t.toEpochMilli() * 1000 + 7;
    }

    private static String seg(int partition, int sequence) {
        return "person_records__" + partition + "__" + sequence + "__20261206T1945Z";
    }

    private static UpsertPurge.Written written(String key, long offset) {
        return new UpsertPurge.Written(key, offset, null);
    }
}
