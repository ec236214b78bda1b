package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignStatus;
import de.prokommun.insights.events.ProfileRow;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Pure rules of docs/CAMPAIGNS.md "Matching" beyond the audience: who may be selected at all (running, valid, a live
 * profile, consent to offers, no objection against all offers, the participant or the offer's category) and the
 * deterministic control assignment.
 */
public final class CampaignEligibility {
    private CampaignEligibility() {}

    /** The reasons of an eligible person, empty if the person may not receive the campaign now. */
    public static Optional<List<String>> of(Campaign c, ProfileRow row, long now, int today) {
        if (c.getStatus() != CampaignStatus.RUNNING) return Optional.empty();
        if (now < c.getOffer().getValidFrom() || now >= c.getOffer().getValidUntil()) return Optional.empty();
        if (row == null || row.getDeleted() || !row.getConsentOffers()) return Optional.empty();
        if (!row.getCity().equals(c.getCity())) return Optional.empty();
        if (objects(row.getOfferObjections(), c.getParticipant(), c.getOffer().getCategory())) return Optional.empty();
        CampaignMatch.Result match = CampaignMatch.of(c.getAudience(), c.getParticipant(), row, today);
        return match.matches() ? Optional.of(match.reasons()) : Optional.empty();
    }

    /** An objection to all offers, to the participant, or to the offer's category (or its first level). */
    static boolean objects(List<String> objections, String participant, String category) {
        for (String o : objections) {
            if (o.equals("all") || o.equals("participant:" + participant)) return true;
            if (category != null && o.startsWith("category:")) {
                String objected = o.substring("category:".length());
                if (category.equals(objected) || category.startsWith(objected + ".")) return true;
            }
        }
        return false;
    }

    /**
     * Control if hash(campaignId, pseudonym) mod 1000 &lt; controlPerMille: randomised per campaign (a person is in
     * the control group of some campaigns, not all), yet the same on every replay and at every parallelism.
     */
    public static boolean isControl(String campaignId, String pseudonym, int controlPerMille) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((campaignId + '\u001f' + pseudonym).getBytes(StandardCharsets.UTF_8));
            long v = ByteBuffer.wrap(h).getLong() & Long.MAX_VALUE;
            return v % 1000 < controlPerMille;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
