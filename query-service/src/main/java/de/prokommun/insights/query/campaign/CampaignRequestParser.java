package de.prokommun.insights.query.campaign;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.events.CampaignAudience;
import de.prokommun.insights.events.CampaignChannel;
import de.prokommun.insights.events.CampaignOffer;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.query.audience.AskerScope;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceRequestParser;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.InvalidRequestException;
import de.prokommun.insights.validation.StrictText;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a campaign (POST /api/v1/campaigns) or a reach question (POST /api/v1/campaigns/reach) against the
 * asker's city. Every problem is reported, naming the field; nothing unknown is ignored. The audience is the
 * audience filter vocabulary of {@code /api/v1/audiences/size} (errors named {@code audience.<field>}); consent to
 * offers is always required and never a choice, so {@code audience.consentOffers} is refused. The participant is
 * always the API key's owner, never a field of the body.
 */
public final class CampaignRequestParser {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> CAMPAIGN_FIELDS = Set.of("audience", "offer", "channel", "recipientCap",
            "controlPerMille");
    private static final Set<String> REACH_FIELDS = Set.of("audience", "offerCategory");
    private static final Set<String> OFFER_FIELDS = Set.of("title", "text", "validFrom", "validUntil", "code", "category");
    public static final int TITLE_MAX = 100;
    public static final int TEXT_MAX = 2000;
    /** As ingestion accepts an envelope's campaignCode (EventParser.CAMPAIGN_CODE_MAX). */
    public static final int CODE_MAX = 64;
    public static final long RECIPIENT_CAP_MAX = 10_000_000;
    /** At most half of the matching residents are held out: a larger control group would mostly withhold the offer. */
    public static final int CONTROL_PER_MILLE_MAX = 500;
    public static final int CONTROL_PER_MILLE_DEFAULT = 100;
    public static final Duration LONGEST_VALIDITY = Duration.ofDays(366);

    /** A validated campaign, before it has an id and a status. */
    public record CampaignRequest(CampaignAudience audience, CampaignOffer offer, CampaignChannel channel,
                                  Long recipientCap, int controlPerMille) {}

    /** A validated reach question: the audience and the category an offer would be about (objections to it apply). */
    public record ReachRequest(AudienceFilter audience, String offerCategory) {}

    private final CityVocabulary city;
    private final int maxValuesPerDimension;

    public CampaignRequestParser(CityVocabulary city, int maxValuesPerDimension) {
        this.city = city;
        this.maxValuesPerDimension = maxValuesPerDimension;
    }

    public CampaignRequest campaign(Asker asker, String body, Instant now) {
        JsonNode root = root(body);
        List<Problem> problems = new ArrayList<>();
        AudienceRequestParser.unknownFields(root, CAMPAIGN_FIELDS, "", problems);
        AudienceFilter filter = audience(root, problems);
        CampaignOffer offer = offer(root.path("offer"), now, problems);
        CampaignChannel channel = channel(root.path("channel"), problems);
        Long cap = recipientCap(root.path("recipientCap"), problems);
        int control = controlPerMille(root.path("controlPerMille"), problems);
        if (!problems.isEmpty()) throw new InvalidRequestException(problems);
        AskerScope.checkCustomerOf(asker, filter.customerOf(), "audience.customerOf");
        return new CampaignRequest(audienceOf(filter), offer, channel, cap, control);
    }

    public ReachRequest reach(Asker asker, String body) {
        JsonNode root = root(body);
        List<Problem> problems = new ArrayList<>();
        AudienceRequestParser.unknownFields(root, REACH_FIELDS, "", problems);
        AudienceFilter filter = audience(root, problems);
        JsonNode category = root.path("offerCategory");
        Optional<String> offerCategory = category.isMissingNode() || category.isNull() ? Optional.empty()
                : AudienceRequestParser.category(city, category, "offerCategory", problems);
        if (!problems.isEmpty()) throw new InvalidRequestException(problems);
        AskerScope.checkCustomerOf(asker, filter.customerOf(), "audience.customerOf");
        return new ReachRequest(filter, offerCategory.orElse(null));
    }

    private static JsonNode root(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new InvalidRequestException("body", "must be a JSON object");
        return root;
    }

    private AudienceFilter audience(JsonNode root, List<Problem> problems) {
        JsonNode node = root.path("audience");
        if (node.isMissingNode() || node.isNull()) {
            problems.add(new Problem("audience", "is required: an audience filter ({} addresses every resident who"
                    + " consents to offers)"));
            return AudienceFilter.everyone();
        }
        if (node.has("consentOffers")) {
            problems.add(new Problem("audience.consentOffers", "is always required for a campaign and not a choice;"
                    + " leave it out"));
        }
        return new AudienceRequestParser(city, maxValuesPerDimension, "audience.").filter(node, problems);
    }

    private static CampaignAudience audienceOf(AudienceFilter f) {
        return CampaignAudience.newBuilder()
                .setAgeFrom(f.ageFrom()).setAgeTo(f.ageTo())
                .setGenders(List.copyOf(f.genders())).setPersonas(List.copyOf(f.personas()))
                .setInterests(List.copyOf(f.interests())).setDistricts(List.copyOf(f.districts()))
                .setHouseholdTypes(List.copyOf(f.householdTypes()))
                .setBoughtCategory(f.boughtCategory() == null ? null : f.boughtCategory().category())
                .setBoughtYear(f.boughtCategory() == null ? null : f.boughtCategory().year())
                .setOwnCustomers(f.customerOf() != null)
                .setActiveWithinDays(f.activeWithinDays())
                .build();
    }

    private CampaignOffer offer(JsonNode offer, Instant now, List<Problem> problems) {
        if (offer.isMissingNode() || offer.isNull()) {
            problems.add(new Problem("offer", "is required: {title, text, validFrom, validUntil, code?, category?}"));
            return null;
        }
        if (!offer.isObject()) {
            problems.add(new Problem("offer", "must be an object"));
            return null;
        }
        AudienceRequestParser.unknownFields(offer, OFFER_FIELDS, "offer.", problems);
        String title = text(offer.path("title"), "offer.title", true, TITLE_MAX, StrictText.Kind.IDENTIFIER, problems);
        String text = text(offer.path("text"), "offer.text", true, TEXT_MAX, StrictText.Kind.FREE_TEXT, problems);
        String code = text(offer.path("code"), "offer.code", false, CODE_MAX, StrictText.Kind.IDENTIFIER, problems);
        Instant from = instant(offer.path("validFrom"), "offer.validFrom", problems);
        Instant until = instant(offer.path("validUntil"), "offer.validUntil", problems);
        if (from != null && until != null) {
            if (!until.isAfter(from)) {
                problems.add(new Problem("offer.validUntil", "must be after offer.validFrom (" + from + ")"));
            } else if (Duration.between(from, until).compareTo(LONGEST_VALIDITY) > 0) {
                problems.add(new Problem("offer.validUntil", "an offer may be valid for at most "
                        + LONGEST_VALIDITY.toDays() + " days"));
            } else if (!until.isAfter(now)) {
                problems.add(new Problem("offer.validUntil", "lies in the past (server time " + now + ")"));
            }
        }
        JsonNode c = offer.path("category");
        Optional<String> category = c.isMissingNode() || c.isNull() ? Optional.empty()
                : AudienceRequestParser.category(city, c, "offer.category", problems);
        if (title == null || text == null || from == null || until == null) return null;
        return CampaignOffer.newBuilder().setTitle(title).setText(text).setValidFrom(from.toEpochMilli())
                .setValidUntil(until.toEpochMilli()).setCode(code).setCategory(category.orElse(null)).build();
    }

    private static String text(JsonNode v, String field, boolean required, int max, StrictText.Kind kind,
                               List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) {
            if (required) problems.add(new Problem(field, "is required"));
            return null;
        }
        if (!v.isTextual()) {
            problems.add(new Problem(field, "must be a string"));
            return null;
        }
        StrictText.Checked checked = StrictText.check(v.asText(), kind);
        if (!checked.ok()) {
            problems.add(new Problem(field, checked.problem()));
            return null;
        }
        String s = checked.value();
        int length = s.codePointCount(0, s.length());
        if (s.isBlank() || length > max) {
            problems.add(new Problem(field, "must be 1–" + max + " characters, not blank, but has " + length));
            return null;
        }
        return s;
    }

    private static Instant instant(JsonNode v, String field, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) {
            problems.add(new Problem(field, "is required: an ISO-8601 instant with offset, e.g. 2026-12-01T00:00:00+01:00"));
            return null;
        }
        try {
            if (!v.isTextual()) throw new DateTimeParseException("not text", v.toString(), 0);
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(new Problem(field, "must be an ISO-8601 instant with offset, e.g. 2026-12-01T00:00:00+01:00,"
                    + " but is " + AudienceRequestParser.printable(v.asText(v.toString()))));
            return null;
        }
    }

    private static CampaignChannel channel(JsonNode v, List<Problem> problems) {
        String allowed = Arrays.toString(CampaignChannel.values());
        if (v.isMissingNode() || v.isNull()) {
            problems.add(new Problem("channel", "is required: one of " + allowed));
            return null;
        }
        for (CampaignChannel c : CampaignChannel.values()) {
            if (v.isTextual() && c.name().equals(v.asText())) return c;
        }
        problems.add(new Problem("channel", "must be one of " + allowed + " but is "
                + AudienceRequestParser.printable(v.asText(v.toString()))));
        return null;
    }

    private static Long recipientCap(JsonNode v, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 1 || v.longValue() > RECIPIENT_CAP_MAX) {
            problems.add(new Problem("recipientCap", "must be a whole number between 1 and " + RECIPIENT_CAP_MAX
                    + " (leave it out for no cap)"));
            return null;
        }
        return v.longValue();
    }

    private static int controlPerMille(JsonNode v, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) return CONTROL_PER_MILLE_DEFAULT;
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > CONTROL_PER_MILLE_MAX) {
            problems.add(new Problem("controlPerMille", "must be a whole number between 0 and " + CONTROL_PER_MILLE_MAX
                    + " (per mille of the matching residents held out as the control group)"));
            return CONTROL_PER_MILLE_DEFAULT;
        }
        return v.intValue();
    }
}
