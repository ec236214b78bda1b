package de.prokommun.insights.flink;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.CardLinked;
import de.prokommun.insights.events.Consents;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.Payment;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.ResidentRegistered;
import de.prokommun.insights.flink.city.CityCatalog;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;

/** Test data: the real Musterstadt configuration of the repository and event builders. */
public final class Fixtures {
    private Fixtures() {}

    public static final String CITY = "musterstadt";
    public static final String SECRETS = "musterstadt:test-secret-of-musterstadt,otherstadt:test-secret-of-otherstadt";
    public static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    public static final Path CITIES_DIR = Path.of("..", "cities");

    public static CityCatalog cities() {
        return CityCatalog.load(CITIES_DIR);
    }

    public static long at(int year, int month, int day) {
        return ZonedDateTime.of(year, month, day, 12, 0, 0, 0, BERLIN).toInstant().toEpochMilli();
    }

    public static long startOfYear(int year) {
        return ZonedDateTime.of(year, 1, 1, 0, 0, 0, 0, BERLIN).toInstant().toEpochMilli();
    }

    public static Consents consents(boolean analytics) {
        return new Consents(analytics, true, false);
    }

    public static AnonymousEvent anonymous(String pseudonym, String eventId, long time, Object payload) {
        return AnonymousEvent.newBuilder().setEventId(eventId).setCity(CITY).setParticipant("portal")
                .setEventTime(time).setReceivedTime(time).setPseudonym(pseudonym).setPayload(payload).build();
    }

    public static AnonymousRegistration registration(int birthYear, HouseholdType household, boolean analytics,
                                                     String... interests) {
        return AnonymousRegistration.newBuilder().setBirthYear(birthYear).setGender(Gender.FEMALE)
                .setDistrict("Saarn").setHouseholdType(household).setInterests(List.of(interests))
                .setConsents(consents(analytics)).build();
    }

    public static InteractionEvent raw(String eventId, String resident, String card, long time, Object payload) {
        return InteractionEvent.newBuilder().setEventId(eventId).setCity(CITY).setParticipant("portal")
                .setEventTime(time).setReceivedTime(time).setResident(resident).setCard(card).setPayload(payload).build();
    }

    public static ResidentRegistered residentRegistered(String birthDate, String postcode, boolean analytics) {
        return ResidentRegistered.newBuilder().setBirthDate(birthDate).setGender(Gender.MALE).setPostcode(postcode)
                .setHouseholdType(HouseholdType.SINGLE).setInterests(List.of("Uni", "Kultur"))
                .setConsents(consents(analytics)).build();
    }

    public static CardLinked cardLinked(String card) {
        return CardLinked.newBuilder().setCard(card).build();
    }

    public static Purchase purchase(String receipt, PaymentKind kind) {
        return Purchase.newBuilder().setReceipt(receipt)
                .setLines(List.of(new PurchaseLine("backwaren", 2, 450L)))
                .setPayments(List.of(new Payment(kind, 450L))).build();
    }
}
