package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.flink.ledger.Segment;

/**
 * From the person side to the recipient cap (a Flink POJO, keyed by city/campaign): an offer to deliver to one
 * resident, or its withdrawal ({@code erased}: the person is erased, forget everything of it), or the campaign's end
 * (withdraw every standing offer and forget the campaign; no pseudonym).
 */
public class CampaignStep {
    public enum Kind { OFFER, WITHDRAW, END }

    public Kind kind;
    public String city;
    public String campaignId;
    public String pseudonym;
    /** OFFER: the portal's reference, the reasons, the segment at the offer, the campaign (Avro, campaigns codec). */
    public String resident;
    public String[] reasons;
    public Segment segment;
    public byte[] campaign;
    public boolean erased;
    public long at;

    public CampaignStep() {}

    public String campaignKey() {
        return city + '/' + campaignId;
    }
}
