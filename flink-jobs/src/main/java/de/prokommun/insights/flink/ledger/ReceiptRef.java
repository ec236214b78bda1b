package de.prokommun.insights.flink.ledger;

import java.util.Objects;

/**
 * A receipt is one participant's (issue 15): two shops may use the same receipt number for the same resident, and
 * neither's purchase or retraction touches the other's. Every per-person receipt store matches receipts by
 * (participant, reference), never by the reference alone.
 * <p>
 * State keys. Stores written before this rule keyed a receipt by its bare reference (behind a store's prefix). To read
 * that state unchanged, a receipt's <em>first holder</em> keeps the bare key, and a second participant's receipt
 * with the same reference is stored under the qualified key {@code prefix + participant + U+001F + reference}
 * ({@link #slot}). U+001F is a control character, which the write path's text rule refuses in every value
 * ({@code StrictText}), so a qualified key never collides with a bare one. The bare key also tells, with one read,
 * whether another participant holds the reference: the profile job dead-letters a retraction of another shop's
 * receipt without scanning the person's receipts.
 * Stores whose keys must follow from the stored value alone (the journey) use {@link #qualifiedKey} and read the bare
 * key of older state only as a fallback ({@link #legacyKey}).
 */
public record ReceiptRef(String participant, String receipt) {
    /** Separates participant and reference in a qualified key. */
    public static final char SEPARATOR = '\u001f';

    public ReceiptRef {
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(receipt, "receipt");
    }

    /** Reads a store's value under a key (null if absent). */
    @FunctionalInterface
    public interface Reader<V> {
        V get(String key) throws Exception;
    }

    /** Who reported a stored value. */
    @FunctionalInterface
    public interface OwnerOf<V> {
        String participantOf(V value);
    }

    /**
     * Where this receipt lives in a store of the first-holder layout.
     * @param key        where the receipt is stored, or is to be stored if it is new
     * @param held       the participant's own stored value, or null
     * @param firstHolder the participant holding the bare key (possibly another one), or null
     */
    public record Slot<V>(String key, V held, String firstHolder) {
        /** Another participant holds this reference for the person, the asker holds none. */
        public boolean heldByAnotherOnly() {
            return held == null && firstHolder != null;
        }
    }

    /**
     * Finds the receipt in a store of the first-holder layout: the bare key if this participant holds it, else the
     * qualified key if that is held; a new receipt takes the bare key when it is free, the qualified key otherwise.
     * At most two reads.
     */
    public <V> Slot<V> slot(String prefix, Reader<V> store, OwnerOf<V> owner) throws Exception {
        String bare = legacyKey(prefix);
        V atBare = store.get(bare);
        String firstHolder = atBare == null ? null : owner.participantOf(atBare);
        if (atBare != null && participant.equals(firstHolder)) return new Slot<>(bare, atBare, firstHolder);
        String qualified = qualifiedKey(prefix);
        V atQualified = store.get(qualified);
        if (atQualified != null) return new Slot<>(qualified, atQualified, firstHolder);
        return new Slot<>(atBare == null ? bare : qualified, null, firstHolder);
    }

    /** The key naming participant and reference. */
    public String qualifiedKey(String prefix) {
        return prefix + participant + SEPARATOR + receipt;
    }

    /** The key by reference alone: the first holder's in the first-holder layout, every receipt's in older state. */
    public String legacyKey(String prefix) {
        return prefix + receipt;
    }

    /** The reference of a stored key of either form (after the prefix). */
    public static String receiptOfKey(String prefix, String key) {
        String rest = key.substring(prefix.length());
        int cut = rest.indexOf(SEPARATOR);
        return cut < 0 ? rest : rest.substring(cut + 1);
    }
}
