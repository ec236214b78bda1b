package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.BonusPointsRedeemed;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.Payment;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.Purchase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The behavioural signals an event counts for; persona rules refer to them by name:
 * purchase, voucher (gift or employer voucher redeemed or paid with), bonus, follow, newsletter,
 * checkin and checkin:&lt;category&gt; (category lower-cased, "other" when missing).
 */
public final class ActivitySignals {
    private ActivitySignals() {}

    public static final String PURCHASE = "purchase";
    public static final String VOUCHER = "voucher";
    public static final String BONUS = "bonus";
    public static final String FOLLOW = "follow";
    public static final String NEWSLETTER = "newsletter";
    public static final String CHECKIN = "checkin";

    public static List<String> of(AnonymousEvent event) {
        Object p = event.getPayload();
        List<String> out = new ArrayList<>(2);
        if (p instanceof Purchase purchase) {
            out.add(PURCHASE);
            for (Payment pay : purchase.getPayments()) {
                if ((pay.getKind() == PaymentKind.GIFT_VOUCHER || pay.getKind() == PaymentKind.EMPLOYER_VOUCHER)
                        && !out.contains(VOUCHER)) out.add(VOUCHER);
            }
        } else if (p instanceof GiftVoucherRedeemed || p instanceof EmployerVoucherRedeemed) {
            out.add(VOUCHER);
        } else if (p instanceof BonusPointsEarned || p instanceof BonusPointsRedeemed) {
            out.add(BONUS);
        } else if (p instanceof ParticipantFollowed) {
            out.add(FOLLOW);
        } else if (p instanceof NewsletterSubscribed) {
            out.add(NEWSLETTER);
        } else if (p instanceof EventCheckedIn checkIn) {
            out.add(CHECKIN);
            String category = checkIn.getCategory() == null ? "" : checkIn.getCategory().toString().trim();
            out.add(CHECKIN + ":" + (category.isEmpty() ? "other" : category.toLowerCase(Locale.ROOT)));
        }
        return out;
    }
}
