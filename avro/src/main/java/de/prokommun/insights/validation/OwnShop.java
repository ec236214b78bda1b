package de.prokommun.insights.validation;

import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ParticipantUnfollowed;
import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * Participants as adversaries (issue 15, docs/PRIVACY.md): a participant asserts facts about its own shop only.
 * Every event is attributed to the participant that reported it (the envelope's {@code participant}, which
 * ingestion sets from the API key), so a sale, a voucher sold or redeemed, a newsletter subscription, a check-in
 * or a bonus booking always counts for the reporter. The only payload field that names another participant is
 * {@code participant.followed}/{@code participant.unfollowed}'s {@code followed}: a shop may report that a
 * resident follows <em>it</em>; only the city portal (where residents follow anyone) may report a follow of
 * another participant. A {@code purchase.retracted} names a receipt by reference only; whose receipt it is is
 * known only where the purchase was recorded, so the profile job checks it ({@link #mayRetract}). Checked at ingestion (403 naming the field) and again in Flink's anonymise step (a forged
 * event that reached Kafka by another path is a dead letter, never counted). Pure and serialisable.
 */
public final class OwnShop implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The field of the event's JSON form that asserts something about another participant, and why it is refused. */
    public record Violation(String field, String reason) {
        @Override
        public String toString() {
            return field + ": " + reason;
        }
    }

    private final String portalParticipant;

    /** @param portalParticipant the city portal's participant id (the only reporter that may name another shop) */
    public OwnShop(String portalParticipant) {
        this.portalParticipant = Objects.requireNonNull(portalParticipant, "portalParticipant");
    }

    /**
     * Whether {@code reporter} may retract a receipt that {@code owner} reported: only the participant that reported
     * the purchase, or the city portal on the resident's behalf (privacy centre). {@code owner} is whose receipt the
     * retraction would find: the reporter's own, or — if it holds none with that reference — the participant that
     * first recorded the reference for the person (the profile job matches receipts by participant and reference).
     */
    public boolean mayRetract(String owner, CharSequence reporter) {
        String by = reporter == null ? null : reporter.toString();
        return owner == null || owner.equals(by) || portalParticipant.equals(by);
    }

    /** Checks an event with this payload reported by {@code reporter} (the envelope's participant). */
    public Optional<Violation> check(Object payload, CharSequence reporter) {
        String by = reporter == null ? null : reporter.toString();
        return check(payload, by, portalParticipant.equals(by));
    }

    /** As {@link #check(Object, CharSequence)} for a reporter whose role is already known (ingestion: the API key). */
    public static Optional<Violation> check(Object payload, String reporter, boolean reporterIsPortal) {
        if (reporterIsPortal) return Optional.empty();
        CharSequence followed = null;
        if (payload instanceof ParticipantFollowed f) followed = f.getFollowed();
        else if (payload instanceof ParticipantUnfollowed u) followed = u.getFollowed();
        else return Optional.empty();
        String named = followed == null ? null : followed.toString();
        if (named != null && named.equals(reporter)) return Optional.empty();
        return Optional.of(new Violation("data.followed", "participant '" + reporter + "' may report follows of itself"
                + " only, not of '" + named + "': a participant asserts facts about its own shop only (a follow of"
                + " another participant is reported by the city portal)"));
    }
}
