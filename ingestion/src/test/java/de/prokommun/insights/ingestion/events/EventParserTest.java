package de.prokommun.insights.ingestion.events;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.BonusPointsRedeemed;
import de.prokommun.insights.events.CampaignOpened;
import de.prokommun.insights.events.CardLinked;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.EmployerVoucherCredited;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.NewsletterUnsubscribed;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ParticipantUnfollowed;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.ProfileChanged;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.events.ResidentRegistered;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventParserTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long RECEIVED = NOW.toEpochMilli() + 7;
    private static final Participant PORTAL = new Participant("portal", "musterstadt", Role.PORTAL, "Portal");
    private static final Participant SHOP = new Participant("baeckerei-schmidt", "musterstadt", Role.PARTICIPANT, "Bäckerei");
    private static final Participant OPERATOR = new Participant("stadtmarketing", "musterstadt", Role.OPERATOR, "SM");

    private final EventParser parser = new EventParser();

    /** A valid event of every type, as documented in docs/EVENTS.md. */
    static JsonObject valid(EventType type) {
        JsonObject e = new JsonObject().put("eventId", "ev-" + type.ordinal()).put("type", type.wireName())
                .put("eventTime", "2026-11-28T11:15:00+01:00").put("resident", "R-000123");
        JsonObject data = switch (type) {
            case RESIDENT_REGISTERED -> new JsonObject().put("birthDate", "1990-05-17").put("gender", "FEMALE")
                    .put("postcode", "45468").put("householdType", "FAMILY").put("interests", new JsonArray().add("sport"))
                    .put("consents", new JsonObject().put("analytics", true).put("offers", false).put("newsletter", true));
            case PROFILE_CHANGED -> new JsonObject().put("postcode", "45470");
            case CONSENT_CHANGED -> new JsonObject().put("offers", true);
            case CARD_LINKED -> new JsonObject().put("card", "C-2").put("replacesCard", "C-1");
            case PURCHASE -> new JsonObject().put("receipt", "B-42")
                    .put("lines", new JsonArray()
                            .add(new JsonObject().put("productGroup", "Brot").put("quantity", 2).put("amountCents", 540))
                            .add(new JsonObject().put("productGroup", "Kuchen").put("quantity", 1).put("amountCents", 0)))
                    .put("payments", new JsonArray().add(new JsonObject().put("kind", "GIFT_VOUCHER").put("amountCents", 540)));
            case PURCHASE_RETRACTED -> new JsonObject().put("receipt", "B-42");
            case BONUS_EARNED, BONUS_REDEEMED -> new JsonObject().put("points", 12).put("receipt", "B-42");
            case GIFT_VOUCHER_SOLD -> new JsonObject().put("voucher", "GV-1").put("amountCents", 2500);
            case GIFT_VOUCHER_REDEEMED -> new JsonObject().put("voucher", "GV-1").put("amountCents", 1000);
            case EMPLOYER_VOUCHER_CREDITED -> new JsonObject().put("employer", "Stadtwerke").put("amountCents", 5000);
            case EMPLOYER_VOUCHER_REDEEMED -> new JsonObject().put("amountCents", 1234);
            case NEWSLETTER_SUBSCRIBED, NEWSLETTER_UNSUBSCRIBED -> new JsonObject().put("newsletter", "wochenmarkt");
            case PARTICIPANT_FOLLOWED, PARTICIPANT_UNFOLLOWED -> new JsonObject().put("followed", "baeckerei-schmidt");
            case EVENT_CHECKED_IN -> new JsonObject().put("happening", "sommerfest-2026").put("category", "culture");
            case ERASURE_REQUESTED -> new JsonObject().put("reason", "moved away");
            case CAMPAIGN_OPENED -> new JsonObject().put("campaignId", "c-7f3a");
        };
        return e.put("data", data);
    }

    private static final Map<EventType, Class<?>> PAYLOADS = Map.ofEntries(
            Map.entry(EventType.RESIDENT_REGISTERED, ResidentRegistered.class),
            Map.entry(EventType.PROFILE_CHANGED, ProfileChanged.class),
            Map.entry(EventType.CONSENT_CHANGED, ConsentChanged.class),
            Map.entry(EventType.CARD_LINKED, CardLinked.class),
            Map.entry(EventType.PURCHASE, Purchase.class),
            Map.entry(EventType.PURCHASE_RETRACTED, PurchaseRetracted.class),
            Map.entry(EventType.BONUS_EARNED, BonusPointsEarned.class),
            Map.entry(EventType.BONUS_REDEEMED, BonusPointsRedeemed.class),
            Map.entry(EventType.GIFT_VOUCHER_SOLD, GiftVoucherSold.class),
            Map.entry(EventType.GIFT_VOUCHER_REDEEMED, GiftVoucherRedeemed.class),
            Map.entry(EventType.EMPLOYER_VOUCHER_CREDITED, EmployerVoucherCredited.class),
            Map.entry(EventType.EMPLOYER_VOUCHER_REDEEMED, EmployerVoucherRedeemed.class),
            Map.entry(EventType.NEWSLETTER_SUBSCRIBED, NewsletterSubscribed.class),
            Map.entry(EventType.NEWSLETTER_UNSUBSCRIBED, NewsletterUnsubscribed.class),
            Map.entry(EventType.PARTICIPANT_FOLLOWED, ParticipantFollowed.class),
            Map.entry(EventType.PARTICIPANT_UNFOLLOWED, ParticipantUnfollowed.class),
            Map.entry(EventType.EVENT_CHECKED_IN, EventCheckedIn.class),
            Map.entry(EventType.ERASURE_REQUESTED, ErasureRequested.class),
            Map.entry(EventType.CAMPAIGN_OPENED, CampaignOpened.class));

    private ParseResult parse(JsonObject json, Participant sender) {
        return parser.parse(json, sender, RECEIVED, CLOCK);
    }

    private static Participant senderFor(EventType type) {
        return type.portalOnly() ? PORTAL : SHOP;
    }

    private Map<String, String> errorsOf(JsonObject json, Participant sender) {
        ParseResult result = parse(json, sender);
        assertThat(result.isValid()).as("expected errors for %s", json).isFalse();
        return result.errors().stream().collect(Collectors.toMap(FieldError::path, FieldError::reason, (a, b) -> a + " | " + b));
    }

    private Map<String, String> errorsOf(EventType type, Consumer<JsonObject> change) {
        JsonObject json = valid(type);
        change.accept(json);
        return errorsOf(json, senderFor(type));
    }

    // ---- valid events ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeParsesIntoItsAvroPayloadWithTheSendersIdentity(EventType type) {
        ParseResult result = parse(valid(type), senderFor(type));

        assertThat(result.errors()).isEmpty();
        InteractionEvent event = result.event();
        assertThat(event.getPayload()).isInstanceOf(PAYLOADS.get(type));
        assertThat(event.getEventId()).isEqualTo("ev-" + type.ordinal());
        assertThat(event.getParticipant()).isEqualTo(senderFor(type).id());
        assertThat(event.getCity()).isEqualTo("musterstadt");
        assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-11-28T10:15:00Z").toEpochMilli());
        assertThat(event.getReceivedTime()).isEqualTo(RECEIVED);
        assertThat(event.getResident()).isEqualTo("R-000123");
        assertThat(event.getCard()).isNull();
    }

    @Test
    void registrationCarriesEveryField() {
        ResidentRegistered r = (ResidentRegistered) parse(valid(EventType.RESIDENT_REGISTERED), PORTAL).event().getPayload();
        assertThat(r.getBirthDate()).isEqualTo("1990-05-17");
        assertThat(r.getGender()).isEqualTo(Gender.FEMALE);
        assertThat(r.getPostcode()).isEqualTo("45468");
        assertThat(r.getHouseholdType()).isEqualTo(HouseholdType.FAMILY);
        assertThat(r.getInterests()).containsExactly("sport");
        assertThat(r.getConsents().getAnalytics()).isTrue();
        assertThat(r.getConsents().getOffers()).isFalse();
    }

    @Test
    void purchaseCarriesLinesAndPayments() {
        Purchase p = (Purchase) parse(valid(EventType.PURCHASE), SHOP).event().getPayload();
        assertThat(p.getReceipt()).isEqualTo("B-42");
        assertThat(p.getLines()).hasSize(2);
        assertThat(p.getLines().get(0).getProductGroup()).isEqualTo("Brot");
        assertThat(p.getLines().get(0).getQuantity()).isEqualTo(2);
        assertThat(p.getLines().get(0).getAmountCents()).isEqualTo(540L);
        assertThat(p.getPayments().get(0).getKind()).isEqualTo(PaymentKind.GIFT_VOUCHER);
    }

    @Test
    void changeEventsSetOnlyWhatChanged() {
        ProfileChanged p = (ProfileChanged) parse(valid(EventType.PROFILE_CHANGED), PORTAL).event().getPayload();
        assertThat(p.getPostcode()).isEqualTo("45470");
        assertThat(p.getBirthDate()).isNull();
        assertThat(p.getInterests()).isNull();
        ConsentChanged c = (ConsentChanged) parse(valid(EventType.CONSENT_CHANGED), PORTAL).event().getPayload();
        assertThat(c.getOffers()).isTrue();
        assertThat(c.getAnalytics()).isNull();
    }

    @Test
    void purchaseByCardOnlyAndVoucherSaleWithoutAnyPersonAreValid() {
        JsonObject byCard = valid(EventType.PURCHASE);
        byCard.remove("resident");
        byCard.put("card", "C-99887766");
        assertThat(parse(byCard, SHOP).event().getCard()).isEqualTo("C-99887766");

        JsonObject anonymousSale = valid(EventType.GIFT_VOUCHER_SOLD);
        anonymousSale.remove("resident");
        InteractionEvent sale = parse(anonymousSale, SHOP).event();
        assertThat(sale.getResident()).isNull();
        assertThat(sale.getCard()).isNull();
    }

    @Test
    void ownParticipantAndCityAreAcceptedAndPortalMayAlsoSendParticipantTypes() {
        JsonObject json = valid(EventType.PURCHASE).put("participant", "baeckerei-schmidt").put("city", "musterstadt");
        assertThat(parse(json, SHOP).isValid()).isTrue();
        assertThat(parse(valid(EventType.NEWSLETTER_SUBSCRIBED), PORTAL).isValid()).isTrue();
    }

    @Test
    void historicalImportYearsBackIsValid() {
        JsonObject json = valid(EventType.PURCHASE).put("eventTime", "2003-02-01T08:00:00Z");
        assertThat(parse(json, SHOP).event().getEventTime()).isEqualTo(Instant.parse("2003-02-01T08:00:00Z").toEpochMilli());
    }

    // ---- who may send what (403) ----------------------------------------------------------------

    @Test
    void anotherParticipantsNameIsForbidden() {
        ParseResult r = parse(valid(EventType.PURCHASE).put("participant", "metzgerei-meier"), SHOP);
        assertThat(r.isForbidden()).isTrue();
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("participant");
            assertThat(e.reason()).contains("baeckerei-schmidt").contains("own name");
        });
    }

    @Test
    void anotherCityIsForbidden() {
        ParseResult r = parse(valid(EventType.PURCHASE).put("city", "nachbarstadt"), SHOP);
        assertThat(r.isForbidden()).isTrue();
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("city");
            assertThat(e.reason()).contains("musterstadt");
        });
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"RESIDENT_REGISTERED", "PROFILE_CHANGED", "CONSENT_CHANGED",
            "CARD_LINKED", "ERASURE_REQUESTED", "CAMPAIGN_OPENED"})
    void portalTypesAreForbiddenToParticipants(EventType type) {
        assertThat(type.portalOnly()).isTrue();
        ParseResult r = parse(valid(type), SHOP);
        assertThat(r.isForbidden()).isTrue();
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("type");
            assertThat(e.reason()).isEqualTo("'" + type.wireName() + "' may only be sent by the city portal");
        });
    }

    @Test
    void exactlyTheSixDocumentedTypesArePortalOnly() {
        Set<EventType> portal = EnumSet.noneOf(EventType.class);
        for (EventType t : EventType.values()) if (t.portalOnly()) portal.add(t);
        assertThat(portal).containsExactlyInAnyOrder(EventType.RESIDENT_REGISTERED, EventType.PROFILE_CHANGED,
                EventType.CONSENT_CHANGED, EventType.CARD_LINKED, EventType.ERASURE_REQUESTED,
                EventType.CAMPAIGN_OPENED);
    }

    @Test
    void campaignOpenedNamesTheCampaignAndTheResident() {
        CampaignOpened opened = (CampaignOpened) parse(valid(EventType.CAMPAIGN_OPENED), PORTAL).event().getPayload();
        assertThat(opened.getCampaignId()).isEqualTo("c-7f3a");
        assertThat(errorsOf(EventType.CAMPAIGN_OPENED, j -> j.remove("resident")))
                .containsEntry("resident", "is required for type 'campaign.opened'");
        assertThat(errorsOf(EventType.CAMPAIGN_OPENED, j -> j.put("data", new JsonObject())))
                .containsEntry("data.campaignId", "is required");
    }

    // ---- campaign code (docs/CAMPAIGNS.md: a redemption of a campaign's offer) --------------------

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"PURCHASE", "GIFT_VOUCHER_REDEEMED", "EMPLOYER_VOUCHER_REDEEMED"})
    void aRedemptionCarriesTheOffersCode(EventType type) {
        JsonObject json = valid(type).put("campaignCode", "SOMMER10");
        ParseResult result = parse(json, SHOP);
        assertThat(result.errors()).isEmpty();
        assertThat(result.event().getCampaignCode()).isEqualTo("SOMMER10");
        assertThat(parse(valid(type), SHOP).event().getCampaignCode()).as("no code: none").isNull();
    }

    @Test
    void aCampaignCodeElsewhereIsNamedAsAnError() {
        assertThat(errorsOf(EventType.BONUS_EARNED, j -> j.put("campaignCode", "SOMMER10")))
                .containsEntry("campaignCode", "is allowed only on purchase, gift_voucher.redeemed and"
                        + " employer_voucher.redeemed, not on 'bonus.earned'");
    }

    @Test
    void aCampaignCodeFollowsTheStrictTextRule() {
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("campaignCode", "SOM\u202EMER")).get("campaignCode"))
                .startsWith("must not contain invisible format characters");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("campaignCode", "A\nB")).get("campaignCode"))
                .startsWith("must not contain a line break");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("campaignCode", "x".repeat(65))).get("campaignCode"))
                .isEqualTo("must be 1–64 characters long but has 65");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("campaignCode", 10)).get("campaignCode"))
                .isEqualTo("must be a string but is a number");
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"PARTICIPANT_FOLLOWED", "PARTICIPANT_UNFOLLOWED"})
    void aParticipantReportsFollowsOfItselfOnly(EventType type) {
        JsonObject forged = valid(type);
        forged.getJsonObject("data").put("followed", "weinhandlung-berg");
        ParseResult r = parse(forged, SHOP);
        assertThat(r.isForbidden()).isTrue();
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("data.followed");
            assertThat(e.reason()).contains("'baeckerei-schmidt' may report follows of itself only")
                    .contains("'weinhandlung-berg'");
        });
        assertThat(parse(valid(type), SHOP).isValid()).as("a follow of the sender itself").isTrue();
        JsonObject byPortal = valid(type);
        byPortal.getJsonObject("data").put("followed", "weinhandlung-berg");
        assertThat(parse(byPortal, PORTAL).isValid()).as("the portal reports residents' follows of anyone").isTrue();
    }

    @Test
    void operatorsCannotSubmit() {
        ParseResult r = parse(valid(EventType.PURCHASE), OPERATOR);
        assertThat(r.isForbidden()).isTrue();
        assertThat(r.errors()).extracting(FieldError::reason).contains("operator keys cannot submit events");
    }

    // ---- envelope (400) -------------------------------------------------------------------------

    @Test
    void missingEnvelopeFieldsAreEachNamed() {
        Map<String, String> errors = errorsOf(new JsonObject(), SHOP);
        assertThat(errors).containsEntry("eventId", "is required").containsEntry("type", "is required")
                .containsEntry("eventTime", "is required").containsEntry("data", "is required");
    }

    @Test
    void eventIdMustUseTheAllowedCharactersAndLength() {
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("eventId", "a b")))
                .containsEntry("eventId", "must be 1–128 characters of A–Z, a–z, 0–9, '.', '_', ':', '-'");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("eventId", "x".repeat(129))).get("eventId"))
                .contains("must be 1–128 characters long but has 129");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("eventId", 17)))
                .containsEntry("eventId", "must be a string but is a number");
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("type", "purchased")).get("type"))
                .startsWith("unknown type 'purchased'; known: resident.registered, ").contains("erasure.requested");
    }

    @Test
    void eventTimeNeedsAnOffsetAndAPlausibleInstant() {
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("eventTime", "2026-11-28T10:15:00")).get("eventTime"))
                .startsWith("must be an ISO-8601 instant with offset");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("eventTime", "2026-11-28T12:06:00Z")).get("eventTime"))
                .startsWith("lies more than 5 minutes in the future");
        assertThat(parse(valid(EventType.PURCHASE).put("eventTime", "2026-11-28T12:04:59Z"), SHOP).isValid()).isTrue();
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("eventTime", "1999-12-31T23:59:59Z")))
                .containsEntry("eventTime", "must not be before 2000-01-01T00:00:00Z");
    }

    @Test
    void personReferencesAreRequiredByTypeAndNeverAnEmailAddress() {
        assertThat(errorsOf(EventType.NEWSLETTER_SUBSCRIBED, j -> j.remove("resident")))
                .containsEntry("resident", "is required for type 'newsletter.subscribed'");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.remove("resident")))
                .containsEntry("resident", "resident or card is required for type 'purchase'");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("resident", "anna@example.org")))
                .containsEntry("resident", "must be the portal's reference, never an e-mail address");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("card", "C".repeat(65))).get("card"))
                .isEqualTo("must be 1–64 characters long but has 65");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("resident", "")).get("resident"))
                .isEqualTo("must be 1–64 characters long but has 0");
    }

    @Test
    void unknownFieldsAreRejectedAtEveryLevel() {
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("eventtime", "x")).get("eventtime"))
                .startsWith("unknown field; allowed: ");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").put("reciept", "B-1")).get("data.reciept"))
                .isEqualTo("unknown field; allowed: lines, payments, receipt");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").getJsonArray("lines").getJsonObject(1)
                .put("price", 1))).containsKey("data.lines[1].price");
        assertThat(errorsOf(EventType.RESIDENT_REGISTERED, j -> j.getJsonObject("data").getJsonObject("consents")
                .put("tracking", true))).containsKey("data.consents.tracking");
    }

    @Test
    void dataMustBeAnObject() {
        assertThat(errorsOf(EventType.PURCHASE, j -> j.put("data", new JsonArray())))
                .containsEntry("data", "must be a JSON object but is an array");
    }

    // ---- data fields (400) ----------------------------------------------------------------------

    @Test
    void purchaseLinesAreCheckedOneByOneWithTheirIndex() {
        Map<String, String> errors = errorsOf(EventType.PURCHASE, j -> {
            JsonArray lines = j.getJsonObject("data").getJsonArray("lines");
            lines.add(new JsonObject().put("productGroup", "Torte").put("quantity", 0).put("amountCents", -1));
            lines.getJsonObject(0).put("quantity", 1.5);
        });
        assertThat(errors).containsEntry("data.lines[2].amountCents", "must be 0–100000000 but is -1")
                .containsEntry("data.lines[2].quantity", "must be 1–100000 but is 0")
                .containsEntry("data.lines[0].quantity", "must be an integer but is a number (1.5)");
    }

    @Test
    void purchaseNeedsReceiptAndBetweenOneAnd500Lines() {
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").remove("receipt")))
                .containsEntry("data.receipt", "is required");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").put("lines", new JsonArray())))
                .containsEntry("data.lines", "must have 1–500 entries but has 0");
        JsonArray many = new JsonArray();
        for (int i = 0; i < 501; i++) many.add(new JsonObject().put("productGroup", "x").put("quantity", 1).put("amountCents", 1));
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").put("lines", many)))
                .containsEntry("data.lines", "must have 1–500 entries but has 501");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").getJsonArray("lines").add("Brot")))
                .containsEntry("data.lines[2]", "must be a JSON object but is a string");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").getJsonArray("lines").getJsonObject(0)
                .remove("productGroup"))).containsEntry("data.lines[0].productGroup", "is required");
    }

    @Test
    void paymentKindMustBeKnown() {
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").getJsonArray("payments").getJsonObject(0)
                .put("kind", "bitcoin"))).containsEntry("data.payments[0].kind",
                "must be one of CARD, BONUS_POINTS, GIFT_VOUCHER, EMPLOYER_VOUCHER, CASH, OTHER but is 'bitcoin'");
        assertThat(errorsOf(EventType.PURCHASE, j -> j.getJsonObject("data").getJsonArray("payments").getJsonObject(0)
                .put("amountCents", -5))).containsEntry("data.payments[0].amountCents", "must be 0–1000000000 but is -5");
    }

    @Test
    void registrationFieldsAreChecked() {
        Map<String, String> errors = errorsOf(EventType.RESIDENT_REGISTERED, j -> j.getJsonObject("data")
                .put("gender", "female").put("postcode", "4546").put("householdType", "BIG")
                .put("interests", new JsonArray().add("")).put("consents", new JsonObject().put("analytics", "yes")));
        assertThat(errors).containsEntry("data.gender", "must be one of FEMALE, MALE, DIVERSE, UNKNOWN but is 'female'")
                .containsEntry("data.postcode", "must be exactly 5 characters long but has 4")
                .containsEntry("data.householdType",
                        "must be one of SINGLE, COUPLE, FAMILY, SINGLE_PARENT, SHARED, UNKNOWN but is 'BIG'")
                .containsEntry("data.interests[0]", "must be 1–64 non-blank characters long")
                .containsEntry("data.consents.analytics", "must be true or false but is a string")
                .containsEntry("data.consents.offers", "is required")
                .containsEntry("data.consents.newsletter", "is required");
        assertThat(errorsOf(EventType.RESIDENT_REGISTERED, j -> j.getJsonObject("data").put("postcode", "4546x")))
                .containsEntry("data.postcode", "must be 5 digits");
    }

    @Test
    void birthDateMustBeACalendarDateGivingAnAgeOf0To120() {
        assertThat(errorsOf(EventType.RESIDENT_REGISTERED, j -> j.getJsonObject("data").put("birthDate", "1990-02-30")))
                .containsEntry("data.birthDate", "must be a calendar date yyyy-MM-dd but is '1990-02-30'");
        assertThat(errorsOf(EventType.RESIDENT_REGISTERED, j -> j.getJsonObject("data").put("birthDate", "17.05.1990")))
                .containsEntry("data.birthDate", "must be a calendar date yyyy-MM-dd but is '17.05.1990'");
        assertThat(errorsOf(EventType.RESIDENT_REGISTERED, j -> j.getJsonObject("data").put("birthDate", "2026-11-29")))
                .containsEntry("data.birthDate", "must not be after the event's date 2026-11-28");
        assertThat(errorsOf(EventType.PROFILE_CHANGED, j -> j.getJsonObject("data").put("birthDate", "1905-01-01")))
                .containsEntry("data.birthDate", "gives an age of 121 years; at most 120 is possible");
        JsonObject newborn = valid(EventType.RESIDENT_REGISTERED);
        newborn.getJsonObject("data").put("birthDate", "2026-11-28");
        assertThat(parse(newborn, PORTAL).isValid()).isTrue();
    }

    @Test
    void changeEventsMustChangeSomething() {
        assertThat(errorsOf(EventType.PROFILE_CHANGED, j -> j.put("data", new JsonObject())))
                .containsEntry("data", "must set at least one of birthDate, gender, postcode, householdType, interests");
        assertThat(errorsOf(EventType.CONSENT_CHANGED, j -> j.put("data", new JsonObject())))
                .containsEntry("data", "must set at least one of analytics, offers, newsletter");
        assertThat(errorsOf(EventType.CONSENT_CHANGED, j -> j.put("data", new JsonObject().put("offers", 1))))
                .containsEntry("data.offers", "must be true or false but is a number");
    }

    @Test
    void cardLinkNeedsACardThatDiffersFromTheReplacedOne() {
        assertThat(errorsOf(EventType.CARD_LINKED, j -> j.getJsonObject("data").remove("card")))
                .containsEntry("data.card", "is required");
        assertThat(errorsOf(EventType.CARD_LINKED, j -> j.getJsonObject("data").put("replacesCard", "C-2")))
                .containsEntry("data.replacesCard", "must differ from card");
    }

    @Test
    void pointsAndAmountsHaveTheirMinimums() {
        assertThat(errorsOf(EventType.BONUS_EARNED, j -> j.getJsonObject("data").put("points", 0)))
                .containsEntry("data.points", "must be 1–10000000 but is 0");
        assertThat(errorsOf(EventType.BONUS_REDEEMED, j -> j.getJsonObject("data").put("points", "5")))
                .containsEntry("data.points", "must be an integer but is a string");
        assertThat(errorsOf(EventType.GIFT_VOUCHER_SOLD, j -> j.getJsonObject("data").put("amountCents", 0)))
                .containsEntry("data.amountCents", "must be 1–1000000 but is 0");
        assertThat(errorsOf(EventType.GIFT_VOUCHER_REDEEMED, j -> j.getJsonObject("data").remove("voucher")))
                .containsEntry("data.voucher", "is required");
        assertThat(errorsOf(EventType.EMPLOYER_VOUCHER_REDEEMED, j -> j.getJsonObject("data").put("amountCents", 0)))
                .containsEntry("data.amountCents", "must be 1–100000000 but is 0");
    }

    @Test
    void employerVoucherIsCappedAtTheSachbezugLimit() {
        assertThat(errorsOf(EventType.EMPLOYER_VOUCHER_CREDITED, j -> j.getJsonObject("data").put("amountCents", 5001)))
                .containsEntry("data.amountCents", "must be 1–5000 but is 5001 (limit: 50 € a month (Sachbezug))");
        assertThat(errorsOf(EventType.EMPLOYER_VOUCHER_CREDITED, j -> j.getJsonObject("data").remove("employer")))
                .containsEntry("data.employer", "is required");
    }

    @Test
    void referencesInDataAreRequiredAndBounded() {
        assertThat(errorsOf(EventType.PURCHASE_RETRACTED, j -> j.put("data", new JsonObject())))
                .containsEntry("data.receipt", "is required");
        assertThat(errorsOf(EventType.NEWSLETTER_UNSUBSCRIBED, j -> j.getJsonObject("data").put("newsletter", " ")))
                .containsEntry("data.newsletter", "must not be blank");
        assertThat(errorsOf(EventType.PARTICIPANT_FOLLOWED, j -> j.put("data", new JsonObject())))
                .containsEntry("data.followed", "is required");
        assertThat(errorsOf(EventType.PARTICIPANT_UNFOLLOWED, j -> j.getJsonObject("data").put("followed", "x".repeat(129))))
                .containsEntry("data.followed", "must be 1–128 characters long but has 129");
        assertThat(errorsOf(EventType.EVENT_CHECKED_IN, j -> j.getJsonObject("data").remove("happening")))
                .containsEntry("data.happening", "is required");
        assertThat(errorsOf(EventType.ERASURE_REQUESTED, j -> j.getJsonObject("data").put("reason", "x".repeat(501))))
                .containsEntry("data.reason", "must be 1–500 characters long but has 501");
    }

    @Test
    void everyErrorOfOneEventIsReportedAtOnce() {
        JsonObject json = valid(EventType.PURCHASE).put("eventId", "bad id").put("eventTime", "yesterday");
        json.getJsonObject("data").remove("receipt");
        assertThat(errorsOf(json, SHOP)).containsOnlyKeys("eventId", "eventTime", "data.receipt");
    }

    @Test
    void errorsAreInvalidNotForbiddenForBadValues() {
        ParseResult r = parse(valid(EventType.PURCHASE).put("eventId", ""), SHOP);
        assertThat(r.isForbidden()).isFalse();
        assertThat(r.errors()).extracting(FieldError::kind).containsOnly(FieldError.Kind.INVALID);
        assertThat(List.of(r.eventIfValid().isPresent())).containsExactly(false);
    }
}
