package de.prokommun.insights.flink.voucher;

/**
 * A gift-voucher fact of a person on its way through the voucher path, with the person's pseudonym (between
 * person-keyed and voucher-keyed operators only; never in a row or in state of the voucher's rows): what the profile
 * operator tells {@link VoucherFactsFunction} (a fact, full amount and segment of the moment, or the person's
 * erasure / withdrawal), what that operator hands to {@link VoucherJudge} (a fact, {@code fact.live = false} for its
 * removal) and what the judge hands to {@link VoucherCutFunction} (the fact with its verdict, {@link #counted}).
 * A Flink POJO (public fields of POJO, enum and basic types), so it travels with Flink's own serializers, never Kryo.
 */
public class PersonVoucherChange {
    /** The person (the key of both operators; the facts handed on downstream carry no pseudonym). */
    public String pseudonym;
    public String city;
    /** The fact to record, or null for an erasure. */
    public VoucherFact fact;
    /** Erasure or withdrawal: every live fact of the person is removed downstream and the state cleared. */
    public boolean erased;
    /**
     * The judge's verdict on a live fact (behind {@link VoucherJudge} only): false for a redemption beyond the
     * voucher's sold value, which has no row and uses up nothing of the person's month.
     */
    public boolean counted;

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

    /** The fact (or its removal, {@code fact.live = false}) of the person, on the way to the judge. */
    public static PersonVoucherChange of(String pseudonym, VoucherFact fact) {
        return recorded(pseudonym, fact);
    }

    /** The fact with the judge's verdict (a removal passes with {@code counted = false}). */
    public static PersonVoucherChange judged(String pseudonym, VoucherFact fact, boolean counted) {
        PersonVoucherChange c = recorded(pseudonym, fact);
        c.counted = counted;
        return c;
    }

    /** The key of the voucher-keyed judge. */
    public String voucherKey() {
        return VoucherFact.voucherKey(fact);
    }

    public String pseudonym() {
        return pseudonym;
    }
}
