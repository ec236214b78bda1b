package de.prokommun.insights.query;

import static de.prokommun.insights.query.ReleasedCells.assertCell;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Question;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.RoleRules;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.query.AttackPopulation.Resident;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's attacks on the city-wide budget, carried out over HTTP against the query service with the cap
 * enforced (embedded Kafka, Pinot in its own JVM, the publisher publishing from Pinot). The attackers are
 * participants, alone or colluding; the population is {@link AttackPopulation} (X: the only live resident aged
 * 41 in Saarn).
 * <ol>
 * <li>Colluders asking the questions the publication answers get byte-identical figures, which are sums of the one
 *     publication on disk, and the city's spending does not move: N accounts learn what one account learns.</li>
 * <li>No variant of a question slips past both the publication and the accountant: every answer is either
 *     published and free, or ad hoc and charged exactly what it says it cost.</li>
 * <li>Differencing and averaging of ad-hoc questions behave as before: calibrated noise drawn per question,
 *     asker and data version (checked exactly against an independent {@link DisclosureControl}), one answer per
 *     data version, fresh noise only for a fresh charge.</li>
 * <li>Pinning by repetition across data versions, alone and colluding, ends in a clear 429 naming the scope once
 *     the account's part (or the ad-hoc share) is spent; the averaging it bought is no more precise than the
 *     charged ρ allows (bound derived at {@link #varianceFloor}).</li>
 * <li>Published figures cannot be pinned by asking across data versions: the noise is drawn once per
 *     publication period, and the month's publications fit their share.</li>
 * </ol>
 * The service's clock is stepped by the test (each data version ten minutes), so a new data version is reached
 * without sleeping; the tests share the city-month's budget, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CityBudgetAttackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIZE = "/api/v1/audiences/size";
    private static final String BUDGET = "/api/v1/privacy/budget";
    private static final String CITY = AttackPopulation.CITY;
    private static final Duration VERSION_PERIOD = Duration.ofMinutes(10);
    private static final int PUBLICATIONS_PER_MONTH = 4;
    /** ε per ad-hoc question: ρ = ε²/2 = 0.00125, so one account's part (ρ ≈ 0.0110) pays eight questions. */
    private static final String EPSILON_PER_QUESTION = "0.05";
    /** The ad-hoc share is split between four accounts; more accounts than that ask here (first come, first served). */
    private static final int SHARE_ACCOUNTS = 4;
    private static final int COLLUDERS = 6;

    private static final String OPERATOR_KEY = TestParticipants.randomKey();
    private static final String PROBER_KEY = TestParticipants.randomKey();
    private static final String DIFFER_KEY = TestParticipants.randomKey();
    private static final String SECOND_KEY = TestParticipants.randomKey();
    private static final String PINNER_KEY = TestParticipants.randomKey();
    private static final String MIXER_KEY = TestParticipants.randomKey();
    private static final List<String> COLLUDER_KEYS = keys(COLLUDERS);
    private static final Asker DIFFER = participant("differenz");
    private static final Asker SECOND = participant("zweitkonto");
    private static final Asker PINNER = participant("festnagler");

    @TempDir
    static Path dir;

    private final AttackPopulation population = new AttackPopulation();
    /** 10:00 in Berlin on 15 June: the last day of June's second publication period (4 a month). */
    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-06-15T08:00:00Z"));
    /** Every answer to the pinned question, from every account and data version (tests 4 and 5). */
    private final List<PinnedAnswer> pinned = new ArrayList<>();

    private QueryServiceTestBed bed;
    private WebClient http;
    private PrivacyPolicy policy;
    private RoleRules participantRules;
    private byte[] prfKey;
    private PublishedCells published;

    @BeforeAll
    void startEverything() throws Exception {
        bed = QueryServiceTestBed.start(dir);
        bed.writeCommitted(Topics.PROFILES, population.rows(), ProfileRow::getPseudonym);
        bed.awaitRows(PinotTables.PROFILES.name(), population.size());
        bed.city(CITY, "city.json", "personas.json");
        Path policyFile = Files.writeString(dir.resolve("privacy-city-budget-attacks.json"), testPolicy());
        policy = PrivacyPolicy.of(PrivacyPolicy.load(policyFile));
        participantRules = policy.rules(CITY, AskerRole.PARTICIPANT);
        prfKey = bed.prfKey();
        http = bed.serve(policyFile, Files.writeString(dir.resolve("participants.json"), participants()), clock, false,
                new PoolOptions().setHttp1MaxSize(COLLUDERS), Map.of(
                        QueryConfig.CITY_BUDGET_ENFORCED.name(), "true",
                        QueryConfig.DATA_VERSION_PERIOD.name(), VERSION_PERIOD.toString(),
                        QueryConfig.PUBLICATIONS_PER_MONTH.name(), Integer.toString(PUBLICATIONS_PER_MONTH),
                        // The publisher reads the stepped clock; checking every second notices a new period at once.
                        QueryConfig.PUBLICATION_CHECK_INTERVAL.name(), "PT1S"));
        published = new PublishedCells(bed.awaitPublication(CITY));
    }

    @AfterAll
    void stopEverything() {
        if (bed != null) bed.close();
    }

    // ---- 1. collusion over the publication -------------------------------------------------------------------

    /**
     * Six participant accounts ask the same nine published questions, and each also a different one. Whatever they
     * pool, they hold one draw of noise per cell: every account gets the same bytes, the average of the six answers
     * is exactly the published value (averaging removes nothing), a breakdown asked by one agrees with the total
     * asked by another, and the city has paid exactly one publication however many accounts or questions came.
     */
    @Test
    @Order(1)
    void colludingAccountsSeeOnePublicationAndLearnNothingMoreTogether() {
        CityView before = cityView(OPERATOR_KEY);
        assertThat(before.publicationsSpent()).isEqualTo(published.rho).isPositive();
        assertThat(before.spent()).isEqualTo(published.rho);
        assertThat(before.adHocSpent()).isZero();

        List<Double> spentAfterEachAccount = new ArrayList<>();
        Map<String, List<JsonObject>> answersByQuestion = new LinkedHashMap<>();
        for (String key : COLLUDER_KEYS) {
            for (PublishedQuestion q : publishedQuestions()) {
                JsonObject answer = ok(key, q.body());
                assertPublishedAndFree(answer, q.body());
                answersByQuestion.computeIfAbsent(q.body(), b -> new ArrayList<>()).add(answer);
            }
            spentAfterEachAccount.add(cityView(OPERATOR_KEY).spent());
        }
        for (PublishedQuestion q : publishedQuestions()) {
            List<JsonObject> answers = answersByQuestion.get(q.body());
            assertThat(answers).hasSize(COLLUDERS);
            assertThat(answers.stream().map(CityBudgetAttackIT::figures).distinct()).as(q.body()).hasSize(1);
            assertShown(answers.get(0).getJsonObject("count"), published.sum(q.slice(), q.cells()), q.body());
            assertAverageIsThePublishedValue(answers, q.body());
        }
        // Different questions per account: a district breakdown by one account contradicts no total seen by another.
        JsonObject breakdown = ok(COLLUDER_KEYS.get(0), "{\"filter\": {}, \"breakdown\": \"district\"}");
        assertPublishedAndFree(breakdown, "breakdown");
        for (int i = 1; i < COLLUDERS; i++) {
            String district = ProfileFixture.DISTRICTS.get(i);
            JsonObject total = ok(COLLUDER_KEYS.get(i), "{\"filter\": {\"districts\": [\"" + district + "\"]}}");
            assertPublishedAndFree(total, district);
            assertThat(cellOf(breakdown, district).encode()).as(district).isEqualTo(total.getJsonObject("count").encode());
        }

        CityView after = cityView(OPERATOR_KEY);
        assertThat(spentAfterEachAccount).as("spent ρ after each further account").containsOnly(before.spent());
        assertThat(after).isEqualTo(before);
        for (String key : COLLUDER_KEYS) assertThat(cityView(key).accountSpent()).isZero();
    }

    // ---- 2. no variant bypasses both the publication and the accountant ---------------------------------------

    /**
     * Rephrasings and near-misses of a published question. The published ones must give the published figures for
     * free; the others are ad hoc, and then the city's ad-hoc spending (read by the operator) must grow by exactly
     * the ρ the answer says it cost, never by nothing for a new question.
     */
    @Test
    @Order(2)
    void everyVariantIsEitherPublishedAndFreeOrAdHocAndPaidWhatItSays() {
        String saarn = "{\"filter\": {\"districts\": [\"Saarn\"]}}";
        JsonObject base = ok(PROBER_KEY, saarn);
        assertPublishedAndFree(base, saarn);
        List<String> samePeople = List.of(
                "{\"filter\": {\"districts\": [\"saarn\", \"SAARN\"]}}",
                "{\"filter\": {\"districts\": [\"Saarn\"], \"genders\": [\"FEMALE\", \"MALE\", \"DIVERSE\", \"UNKNOWN\"]}}",
                "{\"filter\": {\"districts\": [\"Saarn\"], \"householdTypes\": [\"SINGLE\", \"COUPLE\", \"FAMILY\","
                        + " \"SINGLE_PARENT\", \"SHARED\", \"UNKNOWN\"]}}",
                "{\"filter\": {\"districts\": [\"Saarn\"], \"consentOffers\": false}}");
        for (String body : samePeople) {
            JsonObject answer = ok(PROBER_KEY, body);
            assertPublishedAndFree(answer, body);
            assertThat(figures(answer)).as(body).isEqualTo(figures(base));
        }
        List<String> others = List.of(
                "{\"filter\": {\"districts\": [\"Saarn\"], \"ageFrom\": 25, \"ageTo\": 34}}",
                "{\"filter\": {\"districts\": [\"Saarn\"], \"ageFrom\": 25, \"ageTo\": 35}}",
                "{\"filter\": {\"districts\": [\"Saarn\"], \"consentOffers\": true}}",
                "{\"filter\": {\"districts\": [\"Saarn\"], \"personas\": [\"family\", \"senior\"]}}",
                "{\"filter\": {\"districts\": [\"Saarn\"], \"ageFrom\": 25, \"ageTo\": 35}}");
        Set<String> paidFor = new HashSet<>();
        for (String body : others) {
            double adHocBefore = cityView(OPERATOR_KEY).adHocSpent();
            JsonObject answer = ok(PROBER_KEY, body);
            double adHocAfter = cityView(OPERATOR_KEY).adHocSpent();
            JsonObject source = answer.getJsonObject("source");
            if ("publication".equals(source.getString("kind"))) {
                assertPublishedAndFree(answer, body);
                assertThat(adHocAfter).as(body).isEqualTo(adHocBefore);
                continue;
            }
            assertThat(source.getString("kind")).as(body).isEqualTo("ad-hoc");
            double cost = source.getJsonObject("cost").getDouble("rho");
            assertThat(adHocAfter - adHocBefore).as(body).isCloseTo(cost, Offset.offset(1e-12));
            if (paidFor.add(body)) {
                assertThat(cost).as("a new ad-hoc question is never free: " + body).isEqualTo(adHocRho());
            } else {
                assertThat(cost).as("the same question in the same data version is paid once: " + body).isZero();
                assertThat(answer.getJsonObject("privacy").getBoolean("repeated")).isTrue();
            }
        }
        assertThat(paidFor).as("the near-misses asked ad hoc").hasSize(3);
    }

    // ---- 3. differencing and averaging on ad-hoc questions ----------------------------------------------------

    /**
     * "Saarn, aged 30..40" and "Saarn, aged 30..41" differ by X alone; "Saarn, aged exactly 41" is X alone. Each
     * answer is exactly what an independent {@link DisclosureControl} (same key, same rules) releases for the true
     * counts, so it carries the noise whose distributional guarantee privacy's DisclosureAttacksTest checks over
     * 50,000 trials, and small noisy counts are suppressed as there. Each costs ρ once.
     */
    @Test
    @Order(3)
    void differencingTwoFiltersThatDifferByOneResidentSeesOnlyTheCalibratedMechanism() {
        long withoutX = population.count(saarnAged(30, 40));
        long withX = population.count(saarnAged(30, 41));
        assertThat(withX - withoutX).isEqualTo(1);
        assertThat(population.count(saarnAged(41, 41))).isEqualTo(1);

        JsonObject a = adHoc(DIFFER_KEY, saarn(30, 40));
        JsonObject b = adHoc(DIFFER_KEY, saarn(30, 41));
        JsonObject onlyX = adHoc(DIFFER_KEY, saarn(41, 41));
        assertReleased(DIFFER, a, saarnQuestion(30, 40), withoutX);
        assertReleased(DIFFER, b, saarnQuestion(30, 41), withX);
        assertReleased(DIFFER, onlyX, saarnQuestion(41, 41), 1);
        for (JsonObject answer : List.of(a, b, onlyX)) {
            assertThat(answer.getJsonObject("source").getJsonObject("cost").getDouble("rho")).isEqualTo(adHocRho());
        }
        assertThat(cityView(DIFFER_KEY).accountSpent()).isCloseTo(3 * adHocRho(), Offset.offset(1e-12));
    }

    /**
     * Averaging within a data version: the same question asked 40 times (in parallel, so a race cannot charge twice)
     * gets one answer and is paid once. A second account asking it gets its own noise, but pays for it: fresh noise
     * is never free, whoever asks.
     */
    @Test
    @Order(4)
    void repeatingAnAdHocQuestionInOneDataVersionGivesOneAnswerPaidOnce() {
        JsonObject first = ok(DIFFER_KEY, saarn(30, 40));
        double accountBefore = cityView(DIFFER_KEY).accountSpent();
        double adHocBefore = cityView(OPERATOR_KEY).adHocSpent();
        List<JsonObject> repeats = sendAll(Collections.nCopies(40, new Ask(DIFFER_KEY, saarn(30, 40)))).stream()
                .map(CityBudgetAttackIT::okJson).toList();
        for (JsonObject again : repeats) {
            assertThat(figures(again)).isEqualTo(figures(first));
            assertThat(again.getString("dataVersion")).isEqualTo(first.getString("dataVersion"));
            assertThat(again.getJsonObject("privacy").getBoolean("repeated")).isTrue();
            assertThat(again.getJsonObject("source").getJsonObject("cost").getDouble("rho")).isZero();
        }
        assertThat(cityView(DIFFER_KEY).accountSpent()).isEqualTo(accountBefore);
        assertThat(cityView(OPERATOR_KEY).adHocSpent()).isEqualTo(adHocBefore);

        JsonObject other = adHoc(SECOND_KEY, saarn(30, 40));
        assertReleased(SECOND, other, saarnQuestion(30, 40), population.count(saarnAged(30, 40)));
        assertThat(cityView(OPERATOR_KEY).adHocSpent()).isCloseTo(adHocBefore + adHocRho(), Offset.offset(1e-12));
        assertThat(cityView(SECOND_KEY).accountSpent()).isEqualTo(adHocRho());
    }

    /**
     * An ad-hoc answer made of several releases is paid in full or refused before anything is charged. A persona
     * breakdown ad hoc (the merchant's persona mix of its own customers: the count and one release per persona)
     * needs 15 releases; the account's part pays 8, so the answer is refused with 429 naming the account's part,
     * and neither the part nor the ad-hoc share all accounts draw from has moved (before the fix, 8 releases were
     * paid and then the 429 came). The account can still ask what it can pay: the same filter without breakdown is
     * one release, charged once.
     */
    @Test
    @Order(5)
    void anAdHocAnswerTheAccountCannotPayInFullIsRefusedBeforeAnythingIsCharged() {
        CityView before = cityView(MIXER_KEY);
        String filter = "{\"districts\": [\"Saarn\"], \"consentOffers\": true}";
        Resp r = post(MIXER_KEY, "{\"filter\": " + filter + ", \"breakdown\": \"persona\"}");
        assertCityRefusal(r, "CITY_AD_HOC_ACCOUNT", "this account's part");
        assertThat(cityView(MIXER_KEY).accountSpent()).isEqualTo(before.accountSpent());
        assertThat(cityView(OPERATOR_KEY).adHocSpent()).isEqualTo(before.adHocSpent());

        JsonObject count = adHoc(MIXER_KEY, "{\"filter\": " + filter + "}");
        assertThat(count.getJsonObject("source").getJsonObject("cost").getDouble("rho")).isEqualTo(adHocRho());
        assertThat(cityView(MIXER_KEY).accountSpent()).isEqualTo(before.accountSpent() + adHocRho());
        assertThat(cityView(OPERATOR_KEY).adHocSpent()).isCloseTo(before.adHocSpent() + adHocRho(), Offset.offset(1e-12));
    }

    // ---- 4. pinning by repetition across data versions ---------------------------------------------------------

    /** The pinned question: Saarn, aged 30 and over (237 people); 30 is no band bound, so it is always ad hoc. */
    private static final String PINNED = "{\"filter\": {\"districts\": [\"Saarn\"], \"ageFrom\": 30}}";
    private static final Question PINNED_QUESTION = CanonicalQuestion.of("audience.size").range("age", 30, 120)
            .anyOf("districts", List.of("Saarn")).build();
    private static final Predicate<Resident> PINNED_FILTER = r -> "Saarn".equals(r.district()) && r.age() >= 30;

    /**
     * One account asks the same ad-hoc question in every new data version. Every answer has fresh noise (it is a
     * new release) and is charged; after ⌊account part / ρ⌋ answers the next is refused with 429 naming the
     * account's part, and published figures stay free. The precision the attacker bought by averaging is no more
     * than the ρ charged allows.
     */
    @Test
    @Order(6)
    void pinningByRepetitionAcrossDataVersionsEndsAtTheAccountsPartOfTheCap() {
        CityView start = cityView(PINNER_KEY);
        int affordable = floorDiv(start.accountCap(), adHocRho());
        assertThat(affordable).isEqualTo(8);
        Resp refused = null;
        for (int version = 0; version <= affordable + 3 && refused == null; version++) {
            Resp r = post(PINNER_KEY, PINNED);
            if (r.status() == 429) {
                refused = r;
            } else {
                JsonObject answer = okJson(r);
                assertReleased(PINNER, answer, PINNED_QUESTION, population.count(PINNED_FILTER));
                assertThat(answer.getJsonObject("source").getJsonObject("cost").getDouble("rho")).isEqualTo(adHocRho());
                pinned.add(new PinnedAnswer(PINNER.id(), answer.getString("dataVersion"), answer));
                CityView now = cityView(PINNER_KEY);
                assertThat(now.accountSpent()).isLessThanOrEqualTo(now.accountCap());
                assertThat(now.spent()).isLessThanOrEqualTo(now.cap());
                clock.advance(VERSION_PERIOD);
            }
        }
        assertThat(refused).as("no refusal after " + pinned.size() + " data versions").isNotNull();
        assertThat(pinned).hasSize(affordable);
        assertThat(pinned.stream().map(PinnedAnswer::dataVersion).distinct()).hasSize(affordable);
        assertCityRefusal(refused, "CITY_AD_HOC_ACCOUNT", "this account's part");

        CityView end = cityView(PINNER_KEY);
        assertThat(end.accountSpent()).isCloseTo(affordable * adHocRho(), Offset.offset(1e-12))
                .isLessThanOrEqualTo(end.accountCap());
        assertThat(end.adHocSpent()).isLessThanOrEqualTo(end.adHocCap());
        assertThat(end.spent()).isLessThanOrEqualTo(end.cap());
        // Averaging the answers: the attacker's best unbiased estimate is no better than the account's part allows.
        double achieved = laplaceVariance() / pinned.size();
        report("one account pinned %d answers: variance of their mean %.2f, floor for ρ=%.5f is %.2f; mean %.2f, truth %d",
                pinned.size(), achieved, end.accountCap(), varianceFloor(end.accountCap()), meanOf(pinned),
                population.count(PINNED_FILTER));
        assertThat(achieved).isGreaterThanOrEqualTo(varianceFloor(end.accountCap()));
        assertThat(achieved).isGreaterThanOrEqualTo(varianceFloor(end.cap()));
        // Refused for ad hoc, free for the publication.
        assertPublishedAndFree(ok(PINNER_KEY, "{\"filter\": {\"districts\": [\"Saarn\"]}}"), "published after refusal");
    }

    /**
     * The colluders join the pinner: in every new data version each asks the pinned question (each gets its own
     * noise and pays for it) until every one of them is refused. Together they cannot buy more than the city's
     * ad-hoc share: the last refusals name that share, and the averaged precision of all pinned answers stays
     * within what the share (and so the cap) allows.
     */
    @Test
    @Order(7)
    void colludingPinnersTogetherStayWithinTheCitysAdHocShare() {
        Set<String> scopes = new HashSet<>();
        boolean everyoneRefused = false;
        for (int version = 0; version < 20 && !everyoneRefused; version++) {
            List<Resp> responses = sendAll(COLLUDER_KEYS.stream().map(k -> new Ask(k, PINNED)).toList());
            int refusedNow = 0;
            for (int i = 0; i < COLLUDERS; i++) {
                Resp r = responses.get(i);
                if (r.status() == 429) {
                    refusedNow++;
                    String scope = r.json().getJsonObject("error").getString("scope");
                    assertCityRefusal(r, scope, "");
                    scopes.add(scope);
                    continue;
                }
                JsonObject answer = okJson(r);
                assertReleased(participant(colluderId(i)), answer, PINNED_QUESTION, population.count(PINNED_FILTER));
                pinned.add(new PinnedAnswer(colluderId(i), answer.getString("dataVersion"), answer));
            }
            everyoneRefused = refusedNow == COLLUDERS;
            CityView now = cityView(OPERATOR_KEY);
            assertThat(now.adHocSpent()).isLessThanOrEqualTo(now.adHocCap());
            assertThat(now.spent()).isLessThanOrEqualTo(now.cap());
            clock.advance(VERSION_PERIOD);
        }
        assertThat(everyoneRefused).as("every colluder refused in the end").isTrue();
        // The share as a whole ran out before every colluder's part did: four parts of eight questions would fit.
        assertThat(scopes).contains("CITY_AD_HOC");
        CityView end = cityView(OPERATOR_KEY);
        assertThat(end.adHocCap() - end.adHocSpent()).isLessThan(adHocRho());
        assertThat(pinned.size()).isLessThanOrEqualTo(floorDiv(end.adHocCap(), adHocRho()));

        double achieved = laplaceVariance() / pinned.size();
        report("%d colluding accounts pinned %d answers: variance of their mean %.2f, floor for the ad-hoc share ρ=%.5f"
                        + " is %.2f, for the cap ρ=%.5f %.2f; mean %.2f, truth %d", COLLUDERS + 1, pinned.size(), achieved,
                end.adHocCap(), varianceFloor(end.adHocCap()), end.cap(), varianceFloor(end.cap()), meanOf(pinned),
                population.count(PINNED_FILTER));
        assertThat(achieved).isGreaterThanOrEqualTo(varianceFloor(end.adHocCap()));
        assertThat(achieved).isGreaterThanOrEqualTo(varianceFloor(end.cap()));
        // Every draw was independent: within a data version per account, across versions per version.
        assertThat(pinned.stream().map(p -> p.account() + "@" + p.dataVersion()).distinct()).hasSize(pinned.size());
    }

    // ---- 5. published figures across data versions and publication periods ------------------------------------

    /**
     * Asking a published figure in every data version does not pin it: within a publication period it is the
     * same draw (same id, same bytes, nothing charged). A new period brings one new publication, paid from the
     * publication share; a month holds at most {@value #PUBLICATIONS_PER_MONTH} of them, they fit the share, the
     * charge covers the noise actually drawn, and averaging all of them is no more precise than the share allows.
     */
    @Test
    @Order(8)
    void publishedFiguresChangeOnlyWithAPaidPublicationNotWithTheDataVersion() throws Exception {
        String body = "{\"filter\": {\"districts\": [\"Saarn\"], \"ageFrom\": 25}}";
        JsonObject first = ok(COLLUDER_KEYS.get(0), body);
        assertPublishedAndFree(first, body);
        CityView before = cityView(OPERATOR_KEY);
        for (int i = 0; i < 5; i++) {
            clock.advance(VERSION_PERIOD);
            JsonObject again = ok(COLLUDER_KEYS.get(i % COLLUDERS), body);
            assertThat(figures(again)).isEqualTo(figures(first));
        }
        assertThat(cityView(OPERATOR_KEY).publicationsSpent()).isEqualTo(before.publicationsSpent());

        // 16 June, 00:30 in Berlin: June's third publication period.
        clock.set(Instant.parse("2026-06-15T22:30:00Z"));
        JsonObject next = awaitNewPublication(body, first.getJsonObject("source").getString("publicationId"));
        assertThat(next.getJsonObject("source").getString("publicationId")).isEqualTo(CITY + "/2026-06/3of4");
        PublishedCells second = new PublishedCells(bed.publicationDir().resolve(CITY + ".json"));
        assertThat(second.id).isEqualTo(CITY + "/2026-06/3of4");

        CityView after = cityView(OPERATOR_KEY);
        assertThat(after.publicationsSpent()).isCloseTo(published.rho + second.rho, Offset.offset(1e-12))
                .isLessThanOrEqualTo(after.publicationsCap());
        assertThat(after.spent()).isLessThanOrEqualTo(after.cap());
        for (PublishedCells p : List.of(published, second)) {
            // The charge covers the noise drawn: every measured marginal of every slice is one histogram of L2
            // sensitivity 1, so ρ ≥ Σ_m 1/(2σ_m²) (Canonne–Kamath–Steinke 2020; zCDP adds up).
            assertThat(p.rho).isGreaterThanOrEqualTo(p.rhoOfNoise());
            assertThat(PUBLICATIONS_PER_MONTH * p.rho).isLessThanOrEqualTo(after.publicationsCap());
            // Averaging the most precise measurement over the month's publications: σ² / perMonth, not below the
            // share's floor.
            assertThat(p.smallestSigmaSquared() / PUBLICATIONS_PER_MONTH)
                    .isGreaterThanOrEqualTo(varianceFloor(after.publicationsCap()));
        }
    }

    // ---- the bound -----------------------------------------------------------------------------------------------

    /**
     * The smallest variance any unbiased estimate of a count can have from releases that are ρ-zCDP together.
     * Hammersley–Chapman–Robbins: Var_n(T) ≥ h² / χ²(P_{n+h} ‖ P_n) for every shift h. One more resident is h = 1,
     * and the two output distributions are neighbours; zCDP bounds their Rényi divergence of order 2 by 2ρ, and
     * χ² = e^{D₂} − 1, so Var ≥ 1 / (e^{2ρ} − 1) (≈ 1/(2ρ), the Gaussian mechanism's variance, for small ρ). The
     * answers an attacker averages cost ρ_i each, all of them Σρ_i ≤ the share they were paid from; so averaging
     * the m answers it got, Var(Laplace)/m, must not fall below the floor of that share. It could: were a release
     * not charged (per data version, per account), m would grow without bound and the variance with it fall to 0.
     */
    private static double varianceFloor(double rho) {
        return 1 / Math.expm1(2 * rho);
    }

    /** Variance of the discrete Laplace noise at ε per question: 2e^{−ε} / (1 − e^{−ε})². */
    private double laplaceVariance() {
        double epsilon = participantRules.epsilonPerQuestion().doubleValue();
        double q = Math.exp(-epsilon);
        return 2 * q / ((1 - q) * (1 - q));
    }

    /** ρ of one ad-hoc count at the participants' ε: pure ε-DP is (ε²/2)-zCDP. */
    private double adHocRho() {
        BigDecimal epsilon = participantRules.epsilonPerQuestion();
        return epsilon.multiply(epsilon).divide(BigDecimal.valueOf(2)).doubleValue();
    }

    private static int floorDiv(double share, double perQuestion) {
        return new BigDecimal(share).divide(new BigDecimal(perQuestion), 0, RoundingMode.FLOOR).intValueExact();
    }

    private static double meanOf(List<PinnedAnswer> answers) {
        return answers.stream().map(a -> a.answer().getJsonObject("count"))
                .filter(c -> !c.getBoolean("suppressed")).mapToLong(c -> c.getLong("value")).average().orElse(Double.NaN);
    }

    // ---- questions ---------------------------------------------------------------------------------------------

    /** A question the publication answers, the slice it reads and the cells it sums (as this test reads the cube). */
    private record PublishedQuestion(String body, String slice, Predicate<PublishedCells.Cell> cells) {}

    private static List<PublishedQuestion> publishedQuestions() {
        Set<String> workingAge = Set.of("25-34", "35-49");
        return List.of(
                new PublishedQuestion("{\"filter\": {}}", "all", c -> true),
                new PublishedQuestion("{\"filter\": {\"districts\": [\"Saarn\"]}}", "all", c -> c.district().equals("Saarn")),
                new PublishedQuestion("{\"filter\": {\"householdTypes\": [\"SINGLE_PARENT\"], \"ageFrom\": 50, \"ageTo\": 64}}",
                        "all", c -> c.householdType().equals("SINGLE_PARENT") && c.ageBand().equals("50-64")),
                new PublishedQuestion("{\"filter\": {\"ageFrom\": 25, \"ageTo\": 49, \"genders\": [\"FEMALE\"]}}", "all",
                        c -> workingAge.contains(c.ageBand()) && c.gender().equals("FEMALE")),
                new PublishedQuestion("{\"filter\": {\"districts\": [\"Styrum\", \"Broich\"], \"householdTypes\": [\"COUPLE\", \"SINGLE\"]}}",
                        "all", c -> Set.of("Styrum", "Broich").contains(c.district())
                        && Set.of("COUPLE", "SINGLE").contains(c.householdType())),
                new PublishedQuestion("{\"filter\": {\"ageFrom\": 65}}", "all",
                        c -> Set.of("65-79", "80+").contains(c.ageBand())),
                new PublishedQuestion("{\"filter\": {\"districts\": [\"Saarn\"], \"ageFrom\": 35, \"ageTo\": 49}}", "all",
                        c -> c.district().equals("Saarn") && c.ageBand().equals("35-49")),
                new PublishedQuestion("{\"filter\": {\"personas\": [\"family\"]}}", "persona:family", c -> true),
                new PublishedQuestion("{\"filter\": {\"interests\": [\"sport\"], \"districts\": [\"Saarn\"]}}",
                        "interest:sport", c -> c.district().equals("Saarn")));
    }

    private static String saarn(int from, int to) {
        return "{\"filter\": {\"districts\": [\"Saarn\"], \"ageFrom\": " + from + ", \"ageTo\": " + to + "}}";
    }

    private static Question saarnQuestion(int from, int to) {
        return CanonicalQuestion.of("audience.size").range("age", from, to).anyOf("districts", List.of("Saarn")).build();
    }

    private static Predicate<Resident> saarnAged(int from, int to) {
        return r -> AttackPopulation.KNOWN_DISTRICT.equals(r.district()) && r.age() >= from && r.age() <= to;
    }

    // ---- assertions --------------------------------------------------------------------------------------------

    private static void assertPublishedAndFree(JsonObject answer, String what) {
        JsonObject source = answer.getJsonObject("source");
        assertThat(source.getString("kind")).as(what).isEqualTo("publication");
        assertThat(source.getString("publicationId")).as(what).isNotBlank();
        assertThat(answer.getJsonObject("privacy").getDouble("epsilonSpent")).as(what).isZero();
        assertThat(source.containsKey("cost")).as(what).isFalse();
    }

    /** The mean of the colluders' values is the published value itself, to the last digit. */
    private static void assertAverageIsThePublishedValue(List<JsonObject> answers, String what) {
        JsonObject one = answers.get(0).getJsonObject("count");
        if (one.getBoolean("suppressed")) {
            assertThat(answers).allSatisfy(a -> assertThat(a.getJsonObject("count").getBoolean("suppressed")).isTrue());
            return;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonObject a : answers) sum = sum.add(BigDecimal.valueOf(a.getJsonObject("count").getLong("value")));
        BigDecimal average = sum.divide(BigDecimal.valueOf(answers.size()), 12, RoundingMode.UNNECESSARY);
        assertThat(average.compareTo(BigDecimal.valueOf(one.getLong("value")))).as(what).isZero();
    }

    private void assertShown(JsonObject actual, long sum, String what) {
        assertThat(actual.encode()).as(what).isEqualTo(PublishedCells.shown(sum, participantRules).encode());
    }

    /** The answer is exactly the release an independent DisclosureControl makes for the true count. */
    private void assertReleased(Asker asker, JsonObject answer, Question question, long trueCount) {
        assertThat(answer.getJsonObject("source").getString("kind")).isEqualTo("ad-hoc");
        assertThat(answer.getString("question")).isEqualTo(question.canonicalForm());
        DisclosureControl independent = new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(),
                prfKey, clock);
        ReleasedCell expected = independent.releaseCounts(asker, question, answer.getString("dataVersion"),
                List.of(new TrueCell("", trueCount))).cells().get(0);
        assertCell(answer.getJsonObject("count"), expected);
    }

    /** 429 naming the scope, renewing with the next month, saying that published figures stay free. */
    private static void assertCityRefusal(Resp refused, String scope, String messagePart) {
        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        JsonObject error = refused.json().getJsonObject("error");
        assertThat(error.getString("scope")).isEqualTo(scope);
        assertThat(error.getString("period")).isEqualTo("MONTH");
        assertThat(error.getString("message")).contains("City-wide").contains(messagePart)
                .contains("published statistics stay free");
        Instant july = Instant.parse("2026-06-30T22:00:00Z");
        assertThat(Instant.parse(error.getString("renewsAt"))).isEqualTo(july);
        assertThat(refused.headers().get("Retry-After")).isNotBlank();
        JsonObject city = error.getJsonObject("budget").getJsonObject("city");
        assertThat(city.getJsonObject("spent").getDouble("rho")).isLessThanOrEqualTo(city.getJsonObject("cap").getDouble("rho"));
    }

    /** Count and cells as shown, and the source: what two askers must see identically. */
    private static String figures(JsonObject answer) {
        return new JsonObject().put("count", answer.getJsonObject("count")).put("cells", answer.getJsonArray("cells"))
                .put("source", answer.getJsonObject("source")).encode();
    }

    private static JsonObject cellOf(JsonObject answer, String label) {
        JsonArray cells = answer.getJsonArray("cells");
        for (int i = 0; i < cells.size(); i++) {
            JsonObject c = cells.getJsonObject(i);
            if (label.equals(c.getString("label"))) {
                return new JsonObject().put("value", c.getValue("value")).put("display", c.getString("display"))
                        .put("suppressed", c.getBoolean("suppressed"));
            }
        }
        throw new AssertionError("no cell " + label + " in " + answer.encode());
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    /** The city-wide part of an account's budget view, in ρ. */
    private record CityView(double cap, double spent, double publicationsCap, double publicationsSpent,
                            double adHocCap, double adHocSpent, double accountCap, double accountSpent) {}

    private CityView cityView(String key) {
        Resp r = send(key, BUDGET, null).await();
        JsonObject city = okJson(r).getJsonObject("city");
        assertThat(city).as("budget without the city-wide part: " + r.body()).isNotNull();
        return new CityView(city.getJsonObject("cap").getDouble("rho"), city.getJsonObject("spent").getDouble("rho"),
                city.getJsonObject("publications").getDouble("capRho"), city.getJsonObject("publications").getDouble("spentRho"),
                city.getJsonObject("adHoc").getDouble("capRho"), city.getJsonObject("adHoc").getDouble("spentRho"),
                city.getJsonObject("account").getDouble("capRho"), city.getJsonObject("account").getDouble("spentRho"));
    }

    private JsonObject awaitNewPublication(String body, String oldId) throws InterruptedException {
        for (long until = System.nanoTime() + Duration.ofMinutes(1).toNanos(); System.nanoTime() < until; Thread.sleep(200)) {
            JsonObject answer = ok(COLLUDER_KEYS.get(0), body);
            assertPublishedAndFree(answer, body);
            if (!oldId.equals(answer.getJsonObject("source").getString("publicationId"))) return answer;
        }
        throw new AssertionError("no new publication after " + oldId + " within a minute");
    }

    private record Resp(int status, MultiMap headers, String body) {
        JsonObject json() { return new JsonObject(body); }
    }

    private record Ask(String key, String body) {}

    private record PinnedAnswer(String account, String dataVersion, JsonObject answer) {}

    private JsonObject ok(String key, String body) {
        return okJson(post(key, body));
    }

    /** An ad-hoc answer that was paid now (not a repeat). */
    private JsonObject adHoc(String key, String body) {
        JsonObject answer = ok(key, body);
        assertThat(answer.getJsonObject("source").getString("kind")).as(body).isEqualTo("ad-hoc");
        assertThat(answer.getJsonObject("privacy").getBoolean("repeated")).as(body).isFalse();
        return answer;
    }

    private static JsonObject okJson(Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private Resp post(String key, String body) {
        return send(key, SIZE, body).await();
    }

    /** Sends all at once (the pool holds {@value #COLLUDERS}); the answers come back in the order of the asks. */
    private List<Resp> sendAll(List<Ask> asks) {
        List<Future<Resp>> sent = asks.stream().map(a -> send(a.key(), SIZE, a.body())).toList();
        Future.all(sent).await();
        return sent.stream().map(Future::result).toList();
    }

    private Future<Resp> send(String key, String path, String body) {
        HttpRequest<Buffer> request = body == null ? http.get(path) : http.post(path);
        request.putHeader("Authorization", "Bearer " + key);
        if (body != null) request.putHeader("Content-Type", "application/json");
        Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
        return sent.map(response -> new Resp(response.statusCode(), response.headers(),
                response.bodyAsString() == null ? "" : response.bodyAsString()));
    }

    private static void report(String format, Object... args) {
        System.out.println("[CityBudgetAttackIT] " + String.format(Locale.ROOT, format, args));
    }

    // ---- set-up --------------------------------------------------------------------------------------------------

    /**
     * The documented cap (ε = 4 at δ = 10⁻⁹, a quarter for ad-hoc questions) with the ad-hoc share split between
     * four accounts and ε = 0.05 per ad-hoc question, so that an account can pay a few (under the documented
     * ε = 0.15 and 60 accounts, the former built-in rules, the cap refused every ad-hoc question). The accounts' own ε pacing
     * is set far above what the city-wide part lets them spend, so every refusal here is the city's. The pacing of
     * the ad-hoc share over the month is off ({@code "portions": 1}): these attacks are against the month's cap
     * (pacing: AdHocPacingTest, CityAdHocAllowanceIT).
     */
    private static String testPolicy() {
        String role = "{\"mechanism\": \"discrete-laplace\", \"epsilonPerQuestion\": " + EPSILON_PER_QUESTION
                + ", \"delta\": 0, \"minCellSize\": 10, \"budget\": {\"day\": 100, \"month\": 1000},"
                + " \"sameAnswerWithinVersion\": true}";
        return "{\"city\": \"" + CITY + "\", \"timeZone\": \"Europe/Berlin\","
                + " \"cityBudget\": {\"epsilon\": 4, \"delta\": 1e-9, \"adHocShare\": 0.25, \"accounts\": " + SHARE_ACCOUNTS + ", \"portions\": 1},"
                + " \"roles\": {\"operator\": " + role + ", \"participant\": " + role + "}}";
    }

    private static String participants() {
        ArrayNode list = JSON.createArrayNode();
        add(list, "stadtmarketing", "OPERATOR", OPERATOR_KEY);
        add(list, "pruefer", "PARTICIPANT", PROBER_KEY);
        add(list, DIFFER.id(), "PARTICIPANT", DIFFER_KEY);
        add(list, SECOND.id(), "PARTICIPANT", SECOND_KEY);
        add(list, PINNER.id(), "PARTICIPANT", PINNER_KEY);
        add(list, "personenmix", "PARTICIPANT", MIXER_KEY);
        for (int i = 0; i < COLLUDERS; i++) add(list, colluderId(i), "PARTICIPANT", COLLUDER_KEYS.get(i));
        return list.toString();
    }

    private static void add(ArrayNode list, String id, String role, String key) {
        list.addObject().put("id", id).put("city", CITY).put("role", role)
                .put("apiKeySha256", ParticipantDirectory.digest(key));
    }

    private static Asker participant(String id) {
        return new Asker(CITY, id, AskerRole.PARTICIPANT);
    }

    private static String colluderId(int i) {
        return "komplize-" + i;
    }

    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) keys.add(TestParticipants.randomKey());
        return List.copyOf(keys);
    }
}
