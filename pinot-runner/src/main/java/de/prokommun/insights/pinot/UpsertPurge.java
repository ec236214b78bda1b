package de.prokommun.insights.pinot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.pinot.common.metadata.segment.SegmentZKMetadata;
import org.apache.pinot.common.utils.LLCSegmentName;
import org.apache.pinot.controller.helix.core.PinotHelixResourceManager;
import org.apache.pinot.controller.helix.core.PinotResourceManagerResponse;
import org.apache.pinot.spi.utils.CommonConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the earlier versions of deleted rows from an upsert table of Pinot 0.11 (issue 14, item 8), and compacts
 * completed segments that mostly hold versions Pinot no longer serves. Pinot 0.11 keeps every version of an upsert row
 * in its segments and returns them with {@code skipUpsert=true}; it has no upsert compaction. A completed segment is
 * rewritten
 * <ul>
 *   <li>when it holds a superseded version of a key whose current row is deleted ({@code deleted = true}: an erased or
 *       withdrawn person, a deleted record) and that deletion is {@link Policy#maxDelay} old (the promised time), or
 *   <li>when at least {@link Policy#minInvalidShare} of its rows are no longer served (superseded by a later version
 *       of their key): rewriting it costs its served rows and frees the others (at 0.5, at least as many as it sends).
 * </ul>
 * A segment is not rewritten each time a deletion touches it: the rewrite sends every current row of the segment again,
 * and under a live feed nearly every completed segment holds some old version of some deleted key, so rewriting on
 * sight re-sent the whole table every run (2026-12-07 soak: 726,591 rows in 571 s) — a cost growing with history.
 * Waiting up to the promised delay lets one rewrite take every deletion of that time; each segment is then rewritten
 * at most once per {@code maxDelay} for privacy (still O(table) per {@code maxDelay} in the worst case).
 * <p>A rewrite:
 * <ol>
 *   <li>the segment's current rows (the versions Pinot's upsert still serves from it) are looked up in the Kafka
 *       topic within the segment's own offset range and produced again, byte for byte, to the same partition — the
 *       upsert keeps a re-sent row with the same comparison value, so they now live in the consuming segment; a row
 *       is never re-sent behind a later record of its key (which Kafka's compaction would then remove while keeping
 *       the older copy: for an erased person, content behind the deletion row, kept for good);</li>
 *   <li>once the broker serves no row from the segment any more, the segment is deleted.</li>
 * </ol>
 * Nothing current changes: every figure reads the same rows before and after. The consuming segment cannot be
 * rewritten, so an old version in it is purged once it has completed ({@code realtime.segment.flush.threshold.time})
 * and the next run has passed. A rewrite whose rows cannot all be found, or that Pinot does not take up in time, is
 * left alone (the segment stays; the next run tries again). Tombstones (the deleted rows) stay: they carry the key.
 */
final class UpsertPurge {

    /** The column every upsert table of this repository marks deletions with (Pinot 0.11 has no upsert delete). */
    static final String DELETED_COLUMN = "deleted";
    private static final Logger LOG = LoggerFactory.getLogger(UpsertPurge.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS_PER_QUERY = 300;
    private static final int LIMIT = 10_000_000;
    private static final int ROWS_PER_CHUNK = 25_000;
    private static final char SEP = '\u001f';

    /** An upsert table: its topic, primary key columns and comparison column. */
    record Table(String name, String topic, List<String> keyColumns, String comparisonColumn) {
        String nameWithType() { return name + "_REALTIME"; }
    }

    /**
     * When a completed segment is rewritten: once a deletion whose old version it holds is {@code maxDelay} old, or once
     * {@code minInvalidShare} of its rows are no longer served.
     */
    record Policy(double minInvalidShare, Duration maxDelay) {
        Policy {
            if (!(minInvalidShare > 0 && minInvalidShare <= 1)) {
                throw new IllegalArgumentException("minInvalidShare must be in (0, 1], got " + minInvalidShare);
            }
            if (maxDelay.isNegative()) throw new IllegalArgumentException("maxDelay must not be negative, got " + maxDelay);
        }
    }

    /** A completed segment as a run sees it: its rows, and how many of them Pinot's upsert still serves. */
    record SegmentRows(String name, long total, long served) {
        double invalidShare() { return total == 0 ? 0 : (double) (total - served) / total; }
    }

    /** Why a segment is rewritten in this run. */
    enum Reason { DELETION_DUE, MOSTLY_INVALID }

    /**
     * What one run did to one table; {@code pending}: segments still holding old versions of deletions (not yet due,
     * still consuming, or left alone), and the earliest due time among them.
     */
    record Result(String table, List<String> rewritten, long rowsProduced, List<String> leftAlone, int pending,
                  java.util.Optional<Instant> nextDue) {}

    private final PinotHelixResourceManager resources;
    private final BrokerSql sql;
    private final String kafkaBootstrap;
    private final Duration takenUpWithin;
    private final Policy policy;
    /** Per table and partition: the highest segment whose deleted rows need no further look (see uncheckedSegments). */
    private final Map<String, Map<Integer, Integer>> cleanThrough = new HashMap<>();
    /**
     * Per table: segments known to hold an old version of a deleted key, and when they are due. Segments are immutable,
     * so this stays true until the segment is rewritten. Lost on a restart, and then found again from the deletion rows
     * (whose versions give the deletion time).
     */
    private final Map<String, Map<String, Instant>> dueBySegment = new HashMap<>();

    UpsertPurge(PinotHelixResourceManager resources, BrokerSql sql, String kafkaBootstrap, Duration takenUpWithin,
                Policy policy) {
        this.resources = resources;
        this.sql = sql;
        this.kafkaBootstrap = kafkaBootstrap;
        this.takenUpWithin = takenUpWithin;
        this.policy = policy;
    }

    Result purge(Table table) throws InterruptedException {
        Map<String, SegmentZKMetadata> completed = new TreeMap<>();
        List<String> all = new ArrayList<>();
        for (SegmentZKMetadata m : resources.getSegmentsZKMetadata(table.nameWithType())) {
            all.add(m.getSegmentName());
            if (m.getStatus() == CommonConstants.Segment.Realtime.Status.DONE) completed.put(m.getSegmentName(), m);
        }
        Instant now = Instant.now();
        Map<String, Instant> due = dueBySegment.computeIfAbsent(table.name(), t -> new HashMap<>());
        due.keySet().retainAll(all);
        Map<Integer, Integer> clean = cleanThrough.computeIfAbsent(table.name(), t -> new HashMap<>());
        List<String> unchecked = uncheckedSegments(all, clean);
        due.putAll(mergedDue(due, segmentsWithOldVersionsOfDeletedKeys(table, unchecked), now, policy.maxDelay()));
        Map<String, Long> served = servedBySegment(table);
        List<SegmentRows> rows = new ArrayList<>();
        completed.forEach((name, m) -> rows.add(new SegmentRows(name, m.getTotalDocs(), served.getOrDefault(name, 0L))));
        List<String> rewritten = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        long produced = 0;
        for (Map.Entry<String, Reason> chosen : toRewrite(rows, due, now, policy.minInvalidShare()).entrySet()) {
            String segment = chosen.getKey();
            try {
                produced += rewrite(table, completed.get(segment), chosen.getValue());
                rewritten.add(segment);
                due.remove(segment);
            } catch (IllegalStateException e) {
                LOG.warn("purge of {}: segment {} left alone: {}", table.name(), segment, e.getMessage());
                leftAlone.add(segment);
            }
        }
        clean.putAll(advancedCleanThrough(completed.keySet(), clean));
        return new Result(table.name(), rewritten, produced, leftAlone, due.size(),
                due.values().stream().min(Instant::compareTo));
    }

    /**
     * The due times after a run found segments holding old versions of deletions (segment → earliest deletion version):
     * a deletion is due {@code maxDelay} after it happened. A version is at least its event time in microseconds
     * (profile and record versions alike); one that would lie after {@code now} counts as now, so a skewed version
     * cannot postpone the purge, and one that is no time at all (too small) makes the segment due at once.
     */
    static Map<String, Instant> mergedDue(Map<String, Instant> due, Map<String, Long> earliestDeletionVersion,
                                          Instant now, Duration maxDelay) {
        Map<String, Instant> merged = new HashMap<>(due);
        earliestDeletionVersion.forEach((segment, version) -> {
            Instant deleted = Instant.ofEpochMilli(Math.max(0, version / 1000));
            Instant at = (deleted.isAfter(now) ? now : deleted).plus(maxDelay);
            merged.merge(segment, at, (a, b) -> a.isBefore(b) ? a : b);
        });
        return merged;
    }

    /**
     * The completed segments to rewrite now, in name order: those with a due deletion, then those whose share of rows
     * no longer served reaches {@code minInvalidShare} (a segment serving nothing costs nothing to drop). The consuming
     * segment is never among them.
     */
    static Map<String, Reason> toRewrite(List<SegmentRows> completed, Map<String, Instant> due, Instant now,
                                         double minInvalidShare) {
        Map<String, Reason> chosen = new java.util.LinkedHashMap<>();
        for (SegmentRows s : completed) {
            Instant at = due.get(s.name());
            if (at != null && !at.isAfter(now)) chosen.put(s.name(), Reason.DELETION_DUE);
        }
        for (SegmentRows s : completed) {
            if (s.total() > 0 && s.invalidShare() >= minInvalidShare) chosen.putIfAbsent(s.name(), Reason.MOSTLY_INVALID);
        }
        return chosen;
    }

    /** How many rows Pinot's upsert serves from each segment (one query; a segment serving none is absent). */
    private Map<String, Long> servedBySegment(Table table) {
        Map<String, Long> served = new HashMap<>();
        for (JsonNode row : sql.rows("SELECT $segmentName, COUNT(*) FROM " + table.name() + " GROUP BY $segmentName LIMIT "
                + LIMIT, null)) {
            served.put(row.get(0).asText(), row.get(1).asLong());
        }
        return served;
    }

    /**
     * The segments whose deleted rows are still to be checked: those after each partition's clean mark. A deleted row's
     * earlier versions lie in its own segment or earlier ones of its partition (Kafka's order), so once a run has noted
     * every segment holding them (in the due times, kept until the segment is rewritten), the deleted rows up to a
     * completed segment never need a look again — without the mark every run would read all deleted rows ever written
     * (they stay: they carry the key).
     */
    static List<String> uncheckedSegments(List<String> segments, Map<Integer, Integer> cleanThrough) {
        List<String> unchecked = new ArrayList<>();
        for (String segment : segments) {
            LLCSegmentName name = LLCSegmentName.of(segment);
            if (name == null) continue;
            if (name.getSequenceNumber() > cleanThrough.getOrDefault(name.getPartitionGroupId(), -1)) unchecked.add(segment);
        }
        return unchecked;
    }

    /**
     * Each partition's new clean mark after a run: its highest completed segment. A segment left alone needs no held
     * mark: if it held a due deletion, its due time stays and the next run tries again.
     */
    static Map<Integer, Integer> advancedCleanThrough(Iterable<String> completed, Map<Integer, Integer> cleanThrough) {
        Map<Integer, Integer> marks = new HashMap<>(cleanThrough);
        for (String segment : completed) {
            LLCSegmentName name = LLCSegmentName.of(segment);
            if (name == null) continue;
            marks.merge(name.getPartitionGroupId(), name.getSequenceNumber(), Math::max);
        }
        return marks;
    }

    /**
     * Segments (completed or consuming) holding a not-deleted version of a key deleted in one of {@code unchecked},
     * each with the earliest deletion version among the keys looked up with it (a batch of keys at a time: the due time
     * can only come early, never late).
     */
    Map<String, Long> segmentsWithOldVersionsOfDeletedKeys(Table table, List<String> unchecked) {
        Map<String, Long> segments = new HashMap<>();
        if (unchecked.isEmpty()) return segments;
        List<List<String>> deletedKeys = new ArrayList<>();
        List<Long> deletedAt = new ArrayList<>();
        int columns = table.keyColumns().size();
        for (JsonNode row : sql.rows("SELECT " + String.join(", ", table.keyColumns()) + ", " + table.comparisonColumn()
                + " FROM " + table.name() + " WHERE " + DELETED_COLUMN + " = true AND $segmentName IN ("
                + unchecked.stream().map(BrokerSql::literal).collect(Collectors.joining(", ")) + ") LIMIT " + LIMIT, null)) {
            List<String> key = new ArrayList<>();
            for (int i = 0; i < columns; i++) key.add(row.get(i).asText());
            deletedKeys.add(key);
            deletedAt.add(row.get(columns).asLong());
        }
        for (int from = 0; from < deletedKeys.size(); from += KEYS_PER_QUERY) {
            int to = Math.min(deletedKeys.size(), from + KEYS_PER_QUERY);
            long earliest = deletedAt.subList(from, to).stream().mapToLong(Long::longValue).min().orElseThrow();
            String keys = keyFilter(table.keyColumns(), deletedKeys.subList(from, to));
            for (JsonNode row : sql.rows("SELECT $segmentName, COUNT(*) FROM " + table.name() + " WHERE "
                    + DELETED_COLUMN + " = false AND (" + keys + ") GROUP BY $segmentName LIMIT " + LIMIT, "skipUpsert=true")) {
                if (row.get(1).asLong() > 0) segments.merge(row.get(0).asText(), earliest, Math::min);
            }
        }
        return segments;
    }

    /** {@code k IN (...)} for one key column, else an OR of the keys' conjunctions. */
    static String keyFilter(List<String> columns, List<List<String>> keys) {
        if (columns.size() == 1) {
            return columns.get(0) + " IN (" + keys.stream().map(k -> BrokerSql.literal(k.get(0)))
                    .collect(Collectors.joining(", ")) + ")";
        }
        return keys.stream().map(k -> {
            List<String> terms = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) terms.add(columns.get(i) + " = " + BrokerSql.literal(k.get(i)));
            return "(" + String.join(" AND ", terms) + ")";
        }).collect(Collectors.joining(" OR "));
    }

    /**
     * Produces the segment's current rows again, {@value #ROWS_PER_CHUNK} documents at a time (a segment holds up to
     * 500,000 rows; read at once, their keys and Kafka records took more heap than the local Pinot has), and deletes the
     * segment once Pinot serves none from it; rows produced. A key is current in one document of the segment at most, so
     * the chunks are independent; their document ids do not move while earlier chunks' rows leave the segment.
     */
    private long rewrite(Table table, SegmentZKMetadata metadata, Reason reason) throws InterruptedException {
        String segment = metadata.getSegmentName();
        long produced = 0;
        for (long first = 0; first < metadata.getTotalDocs(); first += ROWS_PER_CHUNK) {
            Set<String> current = new HashSet<>();
            for (JsonNode row : sql.rows("SELECT " + String.join(", ", table.keyColumns()) + ", " + table.comparisonColumn()
                    + " FROM " + table.name() + " WHERE $segmentName = " + BrokerSql.literal(segment) + " AND $docId >= "
                    + first + " AND $docId < " + (first + ROWS_PER_CHUNK) + " LIMIT " + ROWS_PER_CHUNK, null)) {
                StringBuilder id = new StringBuilder();
                row.forEach(v -> id.append(v.asText()).append(SEP));
                current.add(id.toString());
            }
            if (!current.isEmpty()) produced += produceAgain(table, metadata, current);
        }
        Instant deadline = Instant.now().plus(takenUpWithin);
        while (servedRows(table, segment) > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Pinot still serves rows from it " + takenUpWithin + " after they were sent again");
            }
            Thread.sleep(250);
        }
        PinotResourceManagerResponse deleted = resources.deleteSegment(table.nameWithType(), segment);
        if (!deleted.isSuccessful()) throw new IllegalStateException("delete failed: " + deleted.getMessage());
        LOG.info("purge of {}: segment {} ({}) rewritten ({} current rows sent again) and deleted", table.name(), segment,
                reason == Reason.DELETION_DUE ? "a deletion was due" : "mostly rows no longer served", produced);
        return produced;
    }

    private long servedRows(Table table, String segment) {
        JsonNode rows = sql.rows("SELECT COUNT(*) FROM " + table.name() + " WHERE $segmentName = "
                + BrokerSql.literal(segment), null);
        if (rows.size() != 1) throw new IllegalStateException("a count of the rows served from " + segment + " returned " + rows);
        return rows.get(0).get(0).asLong();
    }

    /**
     * Finds each current row in the segment's offset range and sends it again, byte for byte, to its partition — but
     * never behind a later record of its key: Kafka's compaction keeps the latest offset of a key, so a re-sent older
     * version behind the pipeline's newer one would be kept for good (for an erased person: the row with content
     * behind the deletion row). A key with a record after the segment is not sent (its newest is already there); a
     * pipeline record that reached Kafka between the scan and the re-send is sent again behind it ({@link #overtaken}).
     */
    private long produceAgain(Table table, SegmentZKMetadata metadata, Set<String> current) {
        int partition = LLCSegmentName.of(metadata.getSegmentName()).getPartitionGroupId();
        long start = Long.parseLong(metadata.getStartOffset());
        long end = Long.parseLong(metadata.getEndOffset());
        TopicPartition tp = new TopicPartition(table.topic(), partition);
        Set<String> missing = new HashSet<>(current);
        Map<String, ConsumerRecord<byte[], byte[]>> toSend = new java.util.LinkedHashMap<>();
        long produced = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, start);
            Instant deadline = Instant.now().plus(takenUpWithin);
            while (consumer.position(tp) < end && !missing.isEmpty()) {
                if (Instant.now().isAfter(deadline)) break;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
                    if (r.offset() >= end || r.value() == null) continue;
                    String id = idOf(table, r.value());
                    if (id != null && missing.remove(id)) toSend.put(keyPart(id), r);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException(missing.size() + " current rows not found in offsets [" + start + ", " + end
                        + ") of " + tp + whyMissing(table, consumer, tp, start, missing, deadline));
            }
            long scanned = dropKeysWrittenLater(table, consumer, tp, end, toSend, deadline);
            Map<String, Long> sentAt = send(producer, tp, toSend);
            produced += sentAt.size();
            while (!sentAt.isEmpty()) {
                long upTo = sentAt.values().stream().mapToLong(Long::longValue).max().orElseThrow() + 1;
                List<Written> between = read(table, consumer, tp, scanned, upTo, sentAt.keySet(), deadline);
                scanned = upTo;
                Map<String, Written> again = overtaken(between, sentAt);
                Map<String, ConsumerRecord<byte[], byte[]>> resend = new java.util.LinkedHashMap<>();
                again.forEach((key, w) -> resend.put(key, w.record()));
                sentAt = send(producer, tp, resend);
                produced += sentAt.size();
            }
        }
        return produced;
    }

    /** A record of the partition as the purge read it: its key (as {@link #keyPart}) and the record itself. */
    record Written(String key, long offset, ConsumerRecord<byte[], byte[]> record) {}

    /**
     * Of the records between the last scan and the re-sent ones, those of a re-sent key that lie before its re-sent
     * copy (the pipeline wrote them after the scan): per key the latest of them, to be sent again behind the copy.
     * A record after the copy needs nothing: it is the key's newest already.
     */
    static Map<String, Written> overtaken(List<Written> between, Map<String, Long> sentAt) {
        Map<String, Written> again = new java.util.LinkedHashMap<>();
        for (Written w : between) {
            Long copy = sentAt.get(w.key());
            if (copy == null || w.offset() >= copy) continue;
            Written before = again.get(w.key());
            if (before == null || before.offset() < w.offset()) again.put(w.key(), w);
        }
        return again;
    }

    /** Removes the keys that have a record after the segment (up to the partition's end now); where the scan ended. */
    private static long dropKeysWrittenLater(Table table, KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
                                             long end, Map<String, ConsumerRecord<byte[], byte[]>> toSend, Instant deadline) {
        long logEnd = consumer.endOffsets(List.of(tp)).get(tp);
        for (Written w : read(table, consumer, tp, end, logEnd, toSend.keySet(), deadline)) toSend.remove(w.key());
        return Math.max(end, logEnd);
    }

    /** The records of these keys in [from, to), read committed (waits for open transactions before {@code to}). */
    private static List<Written> read(Table table, KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from,
                                      long to, Set<String> keys, Instant deadline) {
        List<Written> out = new ArrayList<>();
        if (from >= to) return out;
        consumer.seek(tp, from);
        Instant until = deadline.plusSeconds(30);
        while (consumer.position(tp) < to) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("cannot read " + tp + " up to offset " + to + " (an open transaction?)");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
                if (r.offset() >= to) continue;
                String id = r.value() == null ? null : idOf(table, r.value());
                String key = id != null ? keyPart(id) : null;
                if (key != null && keys.contains(key)) out.add(new Written(key, r.offset(), r));
            }
        }
        return out;
    }

    /** Sends the records again, byte for byte, to their partition; the offset each copy got, by key. */
    private static Map<String, Long> send(KafkaProducer<byte[], byte[]> producer, TopicPartition tp,
                                          Map<String, ConsumerRecord<byte[], byte[]>> byKey) {
        Map<String, java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> pending =
                new java.util.LinkedHashMap<>();
        byKey.forEach((key, r) -> pending.put(key,
                producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), r.key(), r.value()))));
        producer.flush();
        Map<String, Long> sentAt = new java.util.LinkedHashMap<>();
        try {
            for (var e : pending.entrySet()) sentAt.put(e.getKey(), e.getValue().get().offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending rows again", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("sending rows again failed: " + e.getCause().getMessage(), e);
        }
        return sentAt;
    }

    /**
     * Why current rows are not in their segment's offsets: another record of the same key from the segment's start on
     * (inside its range or after it) means Kafka's compaction (which keeps the latest offset per key) may have removed
     * the row Pinot's upsert (which keeps the highest comparison value) still serves; none at all means the row never
     * was a committed record there. Counts only, never a key.
     */
    private static String whyMissing(Table table, KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from,
                                     Set<String> missing, Instant deadline) {
        Map<String, Long> wanted = new java.util.HashMap<>();
        for (String id : missing) wanted.put(keyPart(id), comparisonPart(id));
        long lower = 0;
        long equal = 0;
        long higher = 0;
        consumer.seek(tp, from);
        long logEnd = consumer.endOffsets(List.of(tp)).get(tp);
        while (consumer.position(tp) < logEnd && Instant.now().isBefore(deadline.plusSeconds(30))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
                String id = r.value() == null ? null : idOf(table, r.value());
                if (id == null) continue;
                Long current = wanted.get(keyPart(id));
                if (current == null) continue;
                long later = comparisonPart(id);
                if (later < current) lower++;
                else if (later == current) equal++;
                else higher++;
            }
        }
        return "; committed records of these keys from the segment's start offset on: " + lower + " with a lower, " + equal
                + " with an equal, " + higher + " with a higher comparison value than the row Pinot serves (a lower one"
                + " alone is what Kafka's compaction keeps while Pinot keeps serving the higher one it removed)";
    }

    private static String keyPart(String id) {
        return id.substring(0, id.lastIndexOf(SEP, id.length() - 2) + 1);
    }

    private static long comparisonPart(String id) {
        String c = id.substring(id.lastIndexOf(SEP, id.length() - 2) + 1, id.length() - 1);
        try {
            return Long.parseLong(c);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** The row's key and comparison value as the broker's answer renders them, or null if it is no JSON object. */
    static String idOf(Table table, byte[] value) {
        try {
            JsonNode row = JSON.readTree(value);
            if (row == null || !row.isObject()) return null;
            StringBuilder id = new StringBuilder();
            for (String c : table.keyColumns()) id.append(row.path(c).asText()).append(SEP);
            id.append(row.path(table.comparisonColumn()).asText()).append(SEP);
            return id.toString();
        } catch (IOException e) {
            return null;
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // what Pinot consumed
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
