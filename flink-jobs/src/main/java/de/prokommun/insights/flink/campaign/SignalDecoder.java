package de.prokommun.insights.flink.campaign;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.CampaignOpened;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.ResidentContact;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import java.io.IOException;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes one input topic of the campaign job into {@link PersonSignal}s, keeping only what matching needs: every
 * profile row, every contact (a tombstone is skipped: the erasure reaches the job as the deleted profile row), live
 * purchase and voucher-redemption records, and the CampaignOpened events of the anonymous topic. What cannot be
 * decoded becomes a dead letter of stage {@value #STAGE} (metric {@code undecodableRecords}), never fails the job.
 */
public final class SignalDecoder extends ProcessFunction<RawRecord, PersonSignal> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "campaign";
    private static final Set<String> PURCHASE_KINDS = Set.of("purchase", "gift_voucher.redeemed", "employer_voucher.redeemed");
    private static final JsonFactory JSON = new JsonFactory();

    private final PersonSignal.Kind kind;
    private transient Counter undecodable;

    public SignalDecoder(PersonSignal.Kind kind) {
        this.kind = kind;
    }

    @Override
    public void open(OpenContext openContext) {
        undecodable = getRuntimeContext().getMetricGroup().counter("undecodableRecords");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<PersonSignal> out) {
        if (raw.value == null) return;
        try {
            PersonSignal s = decode(raw.value);
            if (s != null) out.collect(s);
        } catch (RuntimeException | IOException e) {
            if (undecodable != null) undecodable.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, "undecodable " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " input: " + e.getMessage(), raw, null, null, ctx.timerService().currentProcessingTime()));
        }
    }

    PersonSignal decode(byte[] value) throws IOException {
        switch (kind) {
            case PROFILE -> {
                ProfileRow row = Topics.PROFILES.codec().decode(value);
                PersonSignal s = PersonSignal.of(kind, row.getCity(), row.getPseudonym());
                s.profile = value;
                return s;
            }
            case CONTACT -> {
                ResidentContact c = Topics.RESIDENT_CONTACTS.codec().decode(value);
                PersonSignal s = PersonSignal.of(kind, c.getCity(), c.getPseudonym());
                s.resident = c.getResident();
                return s;
            }
            case PURCHASE -> {
                PersonRecord r = Topics.PERSON_RECORDS.codec().decode(value);
                if (r.getDeleted() || !PURCHASE_KINDS.contains(r.getKind())) return null;
                PersonSignal s = PersonSignal.of(kind, r.getCity(), r.getPseudonym());
                s.participant = r.getParticipant();
                s.recordKind = r.getKind();
                s.campaignCode = campaignCode(r.getDetails());
                s.eventTime = r.getEventTime();
                return s;
            }
            case OPENED -> {
                if (!OpenedPrefilter.mayBeOpened(value)) return null;
                AnonymousEvent e = Topics.ANONYMOUS_EVENTS.codec().decode(value);
                if (!(e.getPayload() instanceof CampaignOpened o) || e.getPseudonym().isEmpty()) return null;
                PersonSignal s = PersonSignal.of(kind, e.getCity(), e.getPseudonym());
                s.campaignId = o.getCampaignId();
                s.eventTime = e.getEventTime();
                return s;
            }
            default -> throw new IllegalStateException("unknown kind " + kind);
        }
    }

    /** The top-level "campaignCode" of a record's details (the profile job's PersonRecordOf writes it), or null. */
    static String campaignCode(String details) throws IOException {
        if (details == null || !details.contains("\"campaignCode\"")) return null;
        try (JsonParser p = JSON.createParser(details)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("campaignCode") && t == JsonToken.VALUE_STRING) return p.getText();
                p.skipChildren();
            }
        }
        return null;
    }
}
