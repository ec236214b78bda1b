package de.prokommun.insights.flink.records;

import org.apache.flink.api.common.typeutils.base.StringSerializer;
import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.ledger.ReceiptRef;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.util.OutputTag;

/**
 * The person's own records (Pinot upsert table person_records, key (pseudonym, recordId)), in the keyed state of
 * the operator that owns the person: which records are live, so that each can be deleted (deleted = true, higher
 * version) when it is retracted, expires, or the person withdraws consent or is erased. Purchases are remembered
 * by participant and receipt, like the contribution ledger ({@link ReceiptRef}): a purchase with a live receipt of
 * the same participant replaces it (the old record is deleted if its id differs) and a retraction deletes the
 * reporter's purchase with that receipt, never another participant's (issue 15).
 * <p>Versions are {@code max(last + 1, stamp·1000)} with stamp = max(event time, received time), so a record of a
 * person who registers again after erasure (received later) outranks the deleted row of the same id.
 * <p>A deletion row keeps the version (Pinot's comparison column, and Kafka's order of the key) but only the day of
 * the record's event time, never its millisecond: what stays of an erased person must not be matchable against a
 * shop's till (issue 14). Nothing reads a deleted row's time (the resident API reads live rows only).
 */
public final class PersonRecordBook {
    /** Side output of the person records. */
    public static final OutputTag<PersonRecord> RECORDS = new OutputTag<>("person-records") {};

    private static final String RECEIPT_KEY = "receipt:";
    /** State key → live record; purchases under "receipt:&lt;receipt&gt;", everything else under its record id. */
    private final MapState<String, LiveRecord> live;

    public PersonRecordBook(KeyedStates states) {
        live = states.map("person-records", StringSerializer.INSTANCE, LiveRecordSerializer.INSTANCE);
    }

    /** The stamp a version is derived from for an event: its event time or, if later, the time it was received. */
    public static long stampOf(AnonymousEvent event) {
        return Math.max(event.getEventTime(), event.getReceivedTime());
    }

    /**
     * Records one accepted event of a profiled person: a new record, a replaced purchase, or a retraction's deletion.
     * {@code lastVersion} is the person's last record version; returns the new last version.
     */
    public long record(AnonymousEvent event, long lastVersion, ProductGroups.Lookup groups, ZoneId zone,
                       Consumer<PersonRecord> out) throws Exception {
        Object payload = event.getPayload();
        long stamp = stampOf(event);
        if (payload instanceof PurchaseRetracted r) {
            return deleteReceipt(event.getPseudonym(), new ReceiptRef(event.getParticipant(), r.getReceipt()),
                    event.getCity(), zone, lastVersion, stamp, out);
        }
        Optional<PersonRecord> made = PersonRecordOf.of(event, groups);
        if (made.isEmpty()) return lastVersion;
        PersonRecord record = made.get();
        long version = lastVersion;
        String key = record.getRecordId();
        if (payload instanceof Purchase p) {
            ReceiptRef receipt = new ReceiptRef(event.getParticipant(), p.getReceipt());
            String held = heldKeyOf(receipt);
            key = receipt.qualifiedKey(RECEIPT_KEY);
            LiveRecord previous = held == null ? null : live.get(held);
            if (held != null && !held.equals(key)) live.remove(held); // an older state's key moves to the new one
            if (previous != null && !previous.recordId.equals(record.getRecordId())) {
                version = next(Math.max(version, previous.version), stamp);
                out.accept(deleted(previous, event.getPseudonym(), event.getCity(), zone, version));
            }
        }
        version = next(version, stamp);
        record.setVersion(version);
        live.put(key, liveOf(record));
        out.accept(record);
        return version;
    }

    /**
     * Deletes the participant's live purchase with this receipt, if any (retraction, retention); returns the new last
     * version. Another participant's receipt with the same number stays (issue 15).
     */
    public long deleteReceipt(String pseudonym, ReceiptRef receipt, String city, ZoneId zone, long lastVersion,
                              long stamp, Consumer<PersonRecord> out) throws Exception {
        String key = heldKeyOf(receipt);
        if (key == null) return lastVersion;
        LiveRecord previous = live.get(key);
        live.remove(key);
        long version = next(Math.max(lastVersion, previous.version), stamp);
        out.accept(deleted(previous, pseudonym, city, zone, version));
        return version;
    }

    /**
     * The key of the participant's live purchase with this receipt, or null: "receipt:&lt;participant&gt;␟&lt;receipt&gt;";
     * state written before receipts were one participant's holds it under "receipt:&lt;receipt&gt;", found if that
     * record is the same participant's.
     */
    private String heldKeyOf(ReceiptRef receipt) throws Exception {
        String key = receipt.qualifiedKey(RECEIPT_KEY);
        if (live.contains(key)) return key;
        String legacy = receipt.legacyKey(RECEIPT_KEY);
        LiveRecord older = live.get(legacy);
        return older != null && receipt.participant().equals(older.participant) ? legacy : null;
    }

    /** Erasure and withdrawal: every live record deleted, then the book is empty; returns the last version written. */
    public long deleteEverything(String pseudonym, String city, ZoneId zone, long lastVersion, long stamp,
                                 Consumer<PersonRecord> out) throws Exception {
        long version = lastVersion;
        for (LiveRecord r : live.values()) version = Math.max(version, r.version);
        version = next(version, stamp);
        for (LiveRecord r : live.values()) out.accept(deleted(r, pseudonym, city, zone, version));
        live.clear();
        return version;
    }

    public void clear() {
        live.clear();
    }

    /** Record ids currently live (for tests and diagnostics). */
    public List<String> liveRecordIds() throws Exception {
        java.util.ArrayList<String> ids = new java.util.ArrayList<>();
        for (LiveRecord r : live.values()) ids.add(r.recordId);
        return ids;
    }

    private static long next(long last, long stamp) {
        return Math.max(last + 1, Math.multiplyExact(Math.max(stamp, 0L), 1000L));
    }

    /** 00:00 of the day of {@code eventTime} in the city's zone, as epoch ms (Pinot's time column needs a value). */
    static long startOfDay(long eventTime, ZoneId zone) {
        return Instant.ofEpochMilli(eventTime).atZone(zone).toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private static LiveRecord liveOf(PersonRecord r) {
        LiveRecord l = new LiveRecord();
        l.recordId = r.getRecordId();
        l.kind = r.getKind();
        l.participant = r.getParticipant();
        l.eventTime = r.getEventTime();
        l.receipt = r.getReceipt();
        l.version = r.getVersion();
        return l;
    }

    /** The deletion of a live record: same key, deleted, the day only, no details, amounts or categories. */
    private static PersonRecord deleted(LiveRecord r, String pseudonym, String city, ZoneId zone, long version) {
        return PersonRecord.newBuilder()
                .setPseudonym(pseudonym)
                .setCity(city)
                .setRecordId(r.recordId)
                .setKind(r.kind)
                .setParticipant(r.participant)
                .setEventTime(startOfDay(r.eventTime, zone))
                .setReceipt(r.receipt)
                .setDeleted(true)
                .setVersion(version)
                .build();
    }
}
