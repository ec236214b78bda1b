package de.prokommun.insights.flink.campaign;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.PersonRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Pure: the resident's own record of a campaign that reached them (person_records, kind {@code campaign.delivered},
 * record id {@code campaign:<campaignId>}; details: campaign, participant, title, reasons), and its deletion when the
 * offer is withdrawn. Only the resident API reads it.
 */
public final class DeliveredRecords {
    private DeliveredRecords() {}

    public static final String KIND = "campaign.delivered";
    private static final JsonFactory JSON = new JsonFactory();

    public static String recordId(String campaignId) {
        return "campaign:" + campaignId;
    }

    /** Strictly increasing per record, at least the time in microseconds (as the profile job's records). */
    static long version(long last, long at) {
        return Math.max(last + 1, Math.multiplyExact(Math.max(at, 0L), 1000L));
    }

    static PersonRecord delivered(String pseudonym, Campaign c, List<String> reasons, long at, long version) {
        return base(pseudonym, c, at, version).setDetails(details(c, reasons)).setDeleted(false).build();
    }

    static PersonRecord deleted(String pseudonym, Campaign c, long at, long version) {
        return base(pseudonym, c, at, version).setDetails("{}").setDeleted(true).build();
    }

    private static PersonRecord.Builder base(String pseudonym, Campaign c, long at, long version) {
        return PersonRecord.newBuilder()
                .setPseudonym(pseudonym)
                .setCity(c.getCity())
                .setRecordId(recordId(c.getCampaignId()))
                .setKind(KIND)
                .setParticipant(c.getParticipant())
                .setEventTime(at)
                .setVersion(version);
    }

    private static String details(Campaign c, List<String> reasons) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("campaign", c.getCampaignId());
            g.writeStringField("participant", c.getParticipant());
            g.writeStringField("title", c.getOffer().getTitle());
            g.writeArrayFieldStart("reasons");
            for (String r : reasons) g.writeString(r);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
