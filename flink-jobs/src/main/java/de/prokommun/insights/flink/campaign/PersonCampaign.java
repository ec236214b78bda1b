package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.flink.ledger.Segment;

/**
 * One person's standing in one campaign (keyed state of {@link CampaignMatcher}, a Flink POJO): control or treatment
 * from the first eligibility on, whether the offer went out and was withdrawn, and the times of the rows emitted, so
 * that erasure negates exactly those rows with the segment they were written with.
 */
public class PersonCampaign {
    public String participant;
    public boolean control;
    public long assignedAt;
    public Segment segment;
    /** Handed to the recipient cap (at most once per campaign and resident). */
    public boolean offered;
    public boolean withdrawn;
    public Long openedAt;
    public Long redeemedAt;
    public Long convertedAt;
    /** When the weekly frequency cap first held the offer back (its row counts the resident once per campaign). */
    public Long heldAt;

    public PersonCampaign() {}
}
