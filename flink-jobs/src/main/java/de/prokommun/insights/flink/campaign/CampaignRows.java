package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.flink.ledger.LedgerRow;
import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.ledger.Segment;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * Pure: the result rows of a campaign (contributions, no pseudonym): participant = the campaign's participant,
 * counterpart = the campaign id, the person's segment as stored, counted on the day of {@code at} in the city's zone.
 */
public final class CampaignRows {
    private CampaignRows() {}

    public static final String TREATMENT = Measures.Names.CAMPAIGN_TREATMENT;
    public static final String CONTROL = Measures.Names.CAMPAIGN_CONTROL;
    public static final String DELIVERED = Measures.Names.CAMPAIGN_DELIVERED;
    public static final String OPENED = Measures.Names.CAMPAIGN_OPENED;
    public static final String REDEEMED = Measures.Names.CAMPAIGN_REDEEMED;
    public static final String CONVERTED = Measures.Names.CAMPAIGN_CONVERTED;
    public static final String HELD_WEEKLY_CAP = Measures.Names.CAMPAIGN_HELD_WEEKLY_CAP;

    public static ContributionDelta row(String measure, String city, String participant, String campaignId,
                                        Segment s, long at, ZoneId zone, int sign) {
        LocalDate day = java.time.Instant.ofEpochMilli(at).atZone(zone).toLocalDate();
        return ContributionDelta.newBuilder()
                .setCity(city)
                .setMeasure(measure)
                .setDay((int) day.toEpochDay())
                .setMonth(day.getYear() * 100 + day.getMonthValue())
                .setYear(day.getYear())
                .setParticipant(participant)
                .setCounterpart(campaignId)
                .setAgeBand(s.ageBand)
                .setGender(s.gender == null ? "UNKNOWN" : s.gender)
                .setDistrict(s.district)
                .setHouseholdType(s.householdType == null ? "UNKNOWN" : s.householdType)
                .setPersonas(s.personas == null ? List.of() : List.of(s.personas))
                .setCount(sign)
                // the day, not the moment: a row must not carry a time a shop could match against its till
                .setEventTime(LedgerRow.dayMillis((int) day.toEpochDay()))
                .build();
    }

    /**
     * A conversion row: the group (treatment or control) in {@code category}, so that the query service releases
     * the two conversion counts the uplift compares ({@code CampaignFigures}).
     */
    public static ContributionDelta converted(String city, String participant, String campaignId, Segment s, long at,
                                              ZoneId zone, int sign, boolean control) {
        ContributionDelta row = row(CONVERTED, city, participant, campaignId, s, at, zone, sign);
        row.setCategory(control ? GROUP_CONTROL : GROUP_TREATMENT);
        return row;
    }

    public static final String GROUP_TREATMENT = "treatment";
    public static final String GROUP_CONTROL = "control";

    /** ISO week-based year × 100 + week of {@code at} in the zone: the frequency cap's calendar week. */
    public static int weekOf(long at, ZoneId zone) {
        LocalDate d = java.time.Instant.ofEpochMilli(at).atZone(zone).toLocalDate();
        return d.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR) * 100 + d.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }
}
