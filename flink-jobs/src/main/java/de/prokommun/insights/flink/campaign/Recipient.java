package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.flink.ledger.Segment;

/** A resident a campaign was delivered to (state of {@link RecipientCap}, a Flink POJO), until the person is erased. */
public class Recipient {
    /** The portal's reference while the offer stands; null once withdrawn. */
    public String resident;
    public boolean withdrawn;
    public long deliveredAt;
    public Segment segment;
    /** Version of the person's campaign.delivered record. */
    public long recordVersion;

    public Recipient() {}
}
