package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.contract.CitySecrets;
import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousProfileChange;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.CampaignOpened;
import de.prokommun.insights.events.CardLinked;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.NewsletterUnsubscribed;
import de.prokommun.insights.events.OffersObjected;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ParticipantUnfollowed;
import de.prokommun.insights.events.ProfileChanged;
import de.prokommun.insights.events.ResidentRegistered;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;

/**
 * The first step of every event: resident and card references become keyed HMAC-SHA256 pseudonyms under
 * the city's secret (base64url, no padding; "resident:" and "card:" domains keep the two apart), the birth
 * date becomes the birth year, the postcode the district, and everything the contract's anonymous form
 * does not hold is dropped. Pure apart from the per-city Mac cache; one instance per operator instance.
 */
public final class Pseudonymizer implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int OLDEST_BIRTH_YEAR = 1880;

    private final CitySecrets secrets;
    private final CityCatalog cities;
    private transient Map<String, Mac> macs;

    public Pseudonymizer(CitySecrets secrets, CityCatalog cities) {
        this.secrets = secrets;
        this.cities = cities;
    }

    public String residentPseudonym(String city, String residentRef) {
        return hmac(city, "resident", residentRef);
    }

    public String cardPseudonym(String city, String cardRef) {
        return hmac(city, "card", cardRef);
    }

    /** The event's anonymous form; throws {@link InvalidEventException} naming the field and the reason. */
    public PseudonymisedEvent pseudonymise(InteractionEvent in) {
        String city = text(in.getCity());
        if (in.getEventId() == null || in.getEventId().toString().isBlank()) throw new InvalidEventException("eventId", "missing");
        CityConfig config = cities.city(city)
                .orElseThrow(() -> new InvalidEventException("city", "unknown city '" + city + "' (no city configuration)"));
        if (!secrets.has(city)) throw new InvalidEventException("city", "no secret configured for city '" + city + "'");
        String resident = blankToNull(in.getResident());
        String card = blankToNull(in.getCard());
        Object payload = in.getPayload();
        if (payload == null) throw new InvalidEventException("payload", "missing");
        if (needsResident(payload) && resident == null) {
            throw new InvalidEventException("resident", "required for " + payload.getClass().getSimpleName());
        }

        AnonymousEvent.Builder out = AnonymousEvent.newBuilder()
                .setEventId(in.getEventId())
                .setCity(city)
                .setParticipant(in.getParticipant())
                .setEventTime(in.getEventTime())
                .setReceivedTime(in.getReceivedTime())
                .setPayload(anonymousPayload(payload, city, config, in.getEventTime()))
                .setCampaignCode(blankToNull(in.getCampaignCode()));
        if (resident != null) {
            PseudonymisedEvent result = new PseudonymisedEvent(out.setPseudonym(residentPseudonym(city, resident)).build(), null);
            // only a registration carries the reference on, to the contact the campaign job addresses deliveries by
            if (payload instanceof ResidentRegistered) result.residentReference = resident;
            return result;
        }
        if (card != null) {
            return new PseudonymisedEvent(out.setPseudonym("").build(), cardPseudonym(city, card));
        }
        // Only voucher sales/redemptions reported without any person reach this point: no one to attribute to.
        return new PseudonymisedEvent(out.setPseudonym("").build(), null);
    }

    private Object anonymousPayload(Object payload, String city, CityConfig config, long eventTime) {
        if (payload instanceof ResidentRegistered r) {
            if (r.getConsents() == null) throw new InvalidEventException("consents", "missing");
            return AnonymousRegistration.newBuilder()
                    .setBirthYear(birthYear(r.getBirthDate(), eventTime))
                    .setGender(r.getGender())
                    .setDistrict(config.districtOf(text(r.getPostcode())))
                    .setHouseholdType(r.getHouseholdType())
                    .setInterests(interests(r.getInterests()))
                    .setConsents(r.getConsents())
                    .build();
        }
        if (payload instanceof ProfileChanged c) {
            return AnonymousProfileChange.newBuilder()
                    .setBirthYear(c.getBirthDate() == null ? null : birthYear(c.getBirthDate(), eventTime))
                    .setGender(c.getGender())
                    .setDistrict(c.getPostcode() == null ? null : config.districtOf(text(c.getPostcode())))
                    .setHouseholdType(c.getHouseholdType())
                    .setInterests(c.getInterests() == null ? null : interests(c.getInterests()))
                    .build();
        }
        if (payload instanceof CardLinked l) {
            String card = blankToNull(l.getCard());
            if (card == null) throw new InvalidEventException("card", "missing in CardLinked");
            String replaces = blankToNull(l.getReplacesCard());
            return AnonymousCardLinked.newBuilder()
                    .setCardPseudonym(cardPseudonym(city, card))
                    .setReplacedCardPseudonym(replaces == null ? null : cardPseudonym(city, replaces))
                    .build();
        }
        // Every other payload type holds no direct identifier and is shared by both envelopes.
        return payload;
    }

    static int birthYear(CharSequence birthDate, long eventTime) {
        if (birthDate == null) throw new InvalidEventException("birthDate", "missing");
        LocalDate date;
        try {
            date = LocalDate.parse(birthDate.toString().trim());
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("birthDate", "not a date of the form yyyy-MM-dd");
        }
        int eventYear = Instant.ofEpochMilli(eventTime).atZone(ZoneOffset.UTC).getYear();
        if (date.getYear() < OLDEST_BIRTH_YEAR || date.getYear() > eventYear) {
            throw new InvalidEventException("birthDate", "year " + date.getYear() + " is not plausible");
        }
        return date.getYear();
    }

    /** Declared interests compared case-insensitively by the persona rules: lower-cased, trimmed, distinct. */
    static List<String> interests(List<String> in) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : in) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (!v.isEmpty()) out.add(v);
        }
        return new ArrayList<>(out);
    }

    private static boolean needsResident(Object payload) {
        return payload instanceof ResidentRegistered || payload instanceof ProfileChanged
                || payload instanceof ConsentChanged || payload instanceof CardLinked
                || payload instanceof ErasureRequested || payload instanceof NewsletterSubscribed
                || payload instanceof NewsletterUnsubscribed || payload instanceof ParticipantFollowed
                || payload instanceof ParticipantUnfollowed || payload instanceof OffersObjected
                || payload instanceof CampaignOpened;
    }

    private String hmac(String city, String kind, String reference) {
        if (macs == null) macs = new HashMap<>();
        Mac mac = macs.computeIfAbsent(city, this::newMac);
        return CitySecrets.pseudonym(mac, kind, reference);
    }

    private Mac newMac(String city) {
        return secrets.newMac(city)
                .orElseThrow(() -> new InvalidEventException("city", "no secret configured for city '" + city + "'"));
    }

    private static String text(CharSequence s) {
        return s == null ? null : s.toString();
    }

    private static String blankToNull(CharSequence s) {
        return s == null || s.toString().isBlank() ? null : s.toString();
    }
}
