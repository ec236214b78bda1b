package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.events.ResidentContact;

/**
 * A change of the link pseudonym → resident reference (topic resident-contacts, key city/pseudonym): the contact at a
 * registration, or its removal at erasure ({@code resident == null}, written as a tombstone so that compaction removes
 * the reference). A Flink POJO.
 */
public class ContactChange {
    public String city;
    public String pseudonym;
    /** Null: the person was erased. */
    public String resident;

    public ContactChange() {}

    private ContactChange(String city, String pseudonym, String resident) {
        this.city = city;
        this.pseudonym = pseudonym;
        this.resident = resident;
    }

    public static ContactChange registered(String city, String pseudonym, String resident) {
        return new ContactChange(city, pseudonym, resident);
    }

    public static ContactChange erased(String city, String pseudonym) {
        return new ContactChange(city, pseudonym, null);
    }

    /** The topic's key: city/pseudonym. */
    public String key() {
        return city + '/' + pseudonym;
    }

    /** The record to write; null for an erasure (a tombstone). */
    public ResidentContact contactOrNull() {
        return resident == null ? null : new ResidentContact(city, pseudonym, resident);
    }

    @Override
    public String toString() {
        // never the reference in a log line
        return "ContactChange{" + key() + (resident == null ? ", erased}" : "}");
    }
}
