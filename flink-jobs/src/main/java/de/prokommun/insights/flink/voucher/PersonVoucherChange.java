package de.prokommun.insights.flink.voucher;

/**
 * What the profile operator tells the person-keyed voucher operator ({@link VoucherFactsFunction}): a gift-voucher
 * fact of the person (full amount, segment of the moment), or the person's erasure / withdrawal. A Flink POJO (public
 * fields of POJO, enum and basic types), so it travels with Flink's own serializers, never Kryo.
 */
public class PersonVoucherChange {
    /** The person (the key of both operators; the facts handed on downstream carry no pseudonym). */
    public String pseudonym;
    public String city;
    /** The fact to record, or null for an erasure. */
    public VoucherFact fact;
    /** Erasure or withdrawal: every live fact of the person is removed downstream and the state cleared. */
    public boolean erased;

    public PersonVoucherChange() {}

    public static PersonVoucherChange recorded(String pseudonym, VoucherFact fact) {
        PersonVoucherChange c = new PersonVoucherChange();
        c.pseudonym = pseudonym;
        c.city = fact.city;
        c.fact = fact;
        return c;
    }

    public static PersonVoucherChange erased(String pseudonym, String city) {
        PersonVoucherChange c = new PersonVoucherChange();
        c.pseudonym = pseudonym;
        c.city = city;
        c.erased = true;
        return c;
    }

    public String pseudonym() {
        return pseudonym;
    }
}
