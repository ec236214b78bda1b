package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.events.DeadLetter;

/**
 * The dead letters of the voucher path (issue 15), written by {@link VoucherJudge} and, as a backstop,
 * {@link VoucherCirculation} (stage {@value VoucherCirculation#STAGE}): another participant's sale of a voucher id,
 * a redemption beyond the voucher's sold value. They name participants, the voucher and amounts, never a person.
 */
final class VoucherDeadLetters {
    private VoucherDeadLetters() {}

    /** Another participant's sale of this voucher id (field {@code data.voucher}). */
    static DeadLetter foreignSale(VoucherFact fact, String owner, long now) {
        return of(fact, "forged assertion about another participant: data.voucher: participant '" + fact.participant
                + "' may not sell gift voucher '" + fact.voucher + "': it was issued by '" + owner
                + "' (a voucher id is one issuer's; give your vouchers ids of your own, e.g. prefixed with your"
                + " participant id)", now);
    }

    /** A redemption beyond what is left of the voucher's sold value (field {@code data.amountCents}). */
    static DeadLetter overRedemption(VoucherFact f, String owner, long sold, long now) {
        return of(f, "over-redemption: data.amountCents: participant '" + f.participant + "' reported a"
                + " redemption of " + f.fullAmountCents + " cents of gift voucher '" + f.voucher
                + "' issued by '" + owner + "' for " + sold + " cents, more than is left of it after its"
                + " earlier redemptions: not counted (a voucher is redeemed at most for its sold value)", now);
    }

    private static DeadLetter of(VoucherFact f, String reason, long now) {
        int cut = f.factId.indexOf('\u001f');
        return DeadLetter.newBuilder().setStage(VoucherCirculation.STAGE).setSourceTopic("").setReason(reason)
                .setEventId(cut < 0 ? f.factId : f.factId.substring(cut + 1)).setCity(f.city)
                .setFailedAt(now).build();
    }
}
