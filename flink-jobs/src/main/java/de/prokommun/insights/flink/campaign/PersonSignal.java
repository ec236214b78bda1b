package de.prokommun.insights.flink.campaign;

/**
 * What the campaign job learns about one person (a Flink POJO, keyed by pseudonym): a new profile row, the person's
 * contact, a purchase or redemption record, or an opened offer. Only the fields of its kind are set.
 */
public class PersonSignal {
    public enum Kind { PROFILE, CONTACT, PURCHASE, OPENED }

    public Kind kind;
    public String pseudonym;
    public String city;
    /** PROFILE: the row as on the profiles topic (PinotJsonCodec JSON). */
    public byte[] profile;
    /** CONTACT: the portal's resident reference. */
    public String resident;
    /** PURCHASE: the reporting participant, the record's kind, the offer code it carried, its event time. */
    public String participant;
    public String recordKind;
    public String campaignCode;
    public long eventTime;
    /** OPENED: the campaign opened. */
    public String campaignId;

    public PersonSignal() {}

    static PersonSignal of(Kind kind, String city, String pseudonym) {
        PersonSignal s = new PersonSignal();
        s.kind = kind;
        s.city = city;
        s.pseudonym = pseudonym;
        return s;
    }
}
