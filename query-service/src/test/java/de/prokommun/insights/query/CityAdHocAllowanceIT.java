package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.RoleRules;
import de.prokommun.insights.query.AttackPopulation.Resident;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 with the city's own privacy.json (the local mode's configuration: the cap enforced, the ad-hoc rules of
 * docs/PRIVACY.md section 6), over HTTP against the query service on real Kafka and Pinot, the publisher
 * publishing.
 * <ol>
 * <li>A merchant's ad-hoc question (a filter no publication answers) is answered, not refused, and says what it
 *     cost.</li>
 * <li>60 participant accounts ask distinct ad-hoc questions as fast as the service lets them, all at once, until
 *     each is refused. An independent recomputation per resident — the month's publications (all of them, N per
 *     month, everyone is in each) plus every ad-hoc release whose filter includes that resident, each priced from
 *     the rules with an independent formula — stays within the cap for every resident, and the (ε, δ) it converts
 *     to stays within ε = 4.</li>
 * <li>A whole calendar month (July, after test 2's June) day by day, the service's clock moved by the test: every
 *     day the 60 accounts ask the dashboards' questions (free, from the publication of the day's period, which the
 *     publisher makes by itself when the clock crosses into the period) and then ad-hoc questions until refused.
 *     The pacing releases the ad-hoc share in four portions and the accounts use each one up on its first day;
 *     the recomputation over the month's publications and all its ad-hoc releases stays within the cap for
 *     every resident. On the next month's first day the budgets start again.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CityAdHocAllowanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIZE = "/api/v1/audiences/size";
    private static final String BUDGET = "/api/v1/privacy/budget";
    private static final String CITY = AttackPopulation.CITY;
    private static final int ACCOUNTS = 60;
    /**
     * Two publication periods a month (the product's default is 1): one crossing within the month and one at its
     * change, cut differently from the four ad-hoc portions; each publication takes several seconds of the test.
     */
    private static final int PUBLICATIONS_PER_MONTH = 2;
    /** How often the publisher looks for a new period, in real time (the service's own setting). */
    private static final String CHECK_INTERVAL = "1s";
    /** The month test 3 lives through day by day, after test 2's June: 31 days, 2 publication periods, 4 portions. */
    private static final YearMonth MONTH = YearMonth.of(2026, 7);
    /** The product's pacing of the ad-hoc share: four portions a month (cityBudget.portions' default). */
    private static final int PORTIONS = 4;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** What the dashboards ask all day: questions whose every bound is a band bound, answered by the publication. */
    private static final List<String> DASHBOARD = List.of(
            "{\"filter\": {}, \"breakdown\": \"ageBand\"}",
            "{\"filter\": {\"ageFrom\": 25, \"ageTo\": 64, \"genders\": [\"FEMALE\"]}, \"breakdown\": \"district\"}",
            "{\"filter\": {}, \"breakdown\": \"persona\"}");
    /** The city's cap, as privacy.json states it; recomputed here without the service's code. */
    private static final double CAP_EPSILON = 4;
    private static final double CAP_DELTA = 1e-9;
    /** Lower bounds of the age bands: an age range starting elsewhere is never answered by the publication. */
    private static final Set<Integer> BAND_STARTS = Set.of(0, 14, 18, 25, 35, 50, 65, 80);

    private static final String OPERATOR_KEY = TestParticipants.randomKey();
    private static final List<String> KEYS = keys(ACCOUNTS);

    @TempDir
    static Path dir;

    private final AttackPopulation population = new AttackPopulation();
    /** 10:00 in Berlin on 15 June; it stands still (tests 1 and 2 happen in one data version) until test 3 moves it. */
    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-06-15T08:00:00Z"));
    /** Every ad-hoc answer given, by any account: what the recomputation charges to the residents it involves. */
    private final ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();

    private QueryServiceTestBed bed;
    private WebClient http;
    private RoleRules participantRules;
    private PublishedCells published;

    @BeforeAll
    void startEverything() throws Exception {
        bed = QueryServiceTestBed.start(dir);
        bed.writeCommitted(Topics.PROFILES, population.rows(), ProfileRow::getPseudonym);
        bed.awaitRows(PinotTables.PROFILES.name(), population.size());
        Path cityDir = bed.city(CITY, "city.json", "personas.json", "privacy.json");
        Path policyFile = cityDir.resolve("privacy.json");
        participantRules = PrivacyPolicy.of(PrivacyPolicy.load(policyFile)).rules(CITY, AskerRole.PARTICIPANT);
        http = bed.serve(policyFile, Files.writeString(dir.resolve("participants.json"), participants()), clock, false,
                new PoolOptions().setHttp1MaxSize(ACCOUNTS), Map.of(
                        QueryConfig.CITY_BUDGET_ENFORCED.name(), "true",
                        QueryConfig.PUBLICATIONS_PER_MONTH.name(), Integer.toString(PUBLICATIONS_PER_MONTH),
                        // The test moves the clock by days within seconds: the publisher must notice a new period
                        // within a moment of real time, as it does within 15 minutes in production.
                        QueryConfig.PUBLICATION_CHECK_INTERVAL.name(), CHECK_INTERVAL));
        published = new PublishedCells(bed.awaitPublication(CITY));
    }

    @AfterAll
    void stopEverything() {
        if (bed != null) bed.close();
    }

    @Test
    @Order(1)
    void aMerchantsAdHocQuestionIsAnsweredUnderTheCitysOwnRules() {
        Question q = questions().get(0);
        Resp r = post(KEYS.get(0), q.body()).await();
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonObject answer = new JsonObject(r.body());
        JsonObject source = answer.getJsonObject("source");
        assertThat(source.getString("kind")).isEqualTo("ad-hoc");
        double rho = source.getJsonObject("cost").getDouble("rho");
        assertThat(rho).isPositive().isLessThanOrEqualTo(rhoPerRelease()).isGreaterThan(0.999 * rhoPerRelease());
        // 180 residents in Saarn are 30 or older: a figure of that size is shown, not suppressed.
        JsonObject count = answer.getJsonObject("count");
        assertThat(count.getBoolean("suppressed")).as(answer.encode()).isFalse();
        assertThat(Math.abs(count.getLong("value") - population.count(q.filter()))).as(answer.encode())
                .isLessThan(6 * (long) Math.ceil(sigma()));
        answered.add(new Answered(0, q, rho));
        JsonObject account = cityView(KEYS.get(0));
        // The account's allowance pays at least 20 such questions a month.
        assertThat(account.getJsonObject("account").getDouble("capRho") / rhoPerRelease()).isGreaterThanOrEqualTo(20);
        report("a merchant's ad-hoc count: value %d (truth %d), ρ %.7f, σ %.1f; the allowance pays %d such a month",
                count.getLong("value"), population.count(q.filter()), rho, sigma(),
                (int) (account.getJsonObject("account").getDouble("capRho") / rhoPerRelease()));
    }

    @Test
    @Order(2)
    void sixtyAccountsAskingAsFastAsAllowedNeverTakeAResidentPastTheCap() {
        List<Question> questions = questions();
        List<Future<Outcome>> all = new ArrayList<>();
        // Account 0 asked one question already; it goes on with the next.
        for (int a = 0; a < ACCOUNTS; a++) all.add(askUntilRefused(a, questions, a == 0 ? 1 : 0, answered));
        Future.all(all).await();
        List<Outcome> outcomes = all.stream().map(Future::result).toList();

        Map<String, Integer> scopes = new TreeMap<>();
        outcomes.forEach(o -> scopes.merge(o.scope(), 1, Integer::sum));
        long answeredAccounts = outcomes.stream().filter(o -> o.answered() > 0).count();
        report("%d ad-hoc answers to %d of %d accounts; final refusals by scope %s", answered.size(), answeredAccounts,
                ACCOUNTS, scopes);
        // Every account was refused in the end, and the city-wide pool ran out before 60 allowances could.
        assertThat(outcomes).allSatisfy(o -> assertThat(o.scope()).isIn("CITY_AD_HOC", "CITY_AD_HOC_ACCOUNT"));
        assertThat(scopes).containsKey("CITY_AD_HOC");
        // Fair at the front: every account that got anything got at most its allowance's worth.
        JsonObject view = cityView(OPERATOR_KEY);
        double accountCap = cityView(KEYS.get(1)).getJsonObject("account").getDouble("capRho");
        for (int a = 0; a < ACCOUNTS; a++) {
            int account = a;
            double spent = answered.stream().filter(x -> x.account() == account).mapToDouble(Answered::rho).sum();
            assertThat(spent).as("account %d", a).isLessThanOrEqualTo(accountCap * (1 + 1e-12));
        }
        // The pool is spent as far as the pacing has released it: on 15 June (portion 2 of 4) half of the month's
        // ad-hoc share, and no further release of a single count fits into that half.
        double adHocCap = view.getJsonObject("adHoc").getDouble("capRho");
        double adHocSpent = view.getJsonObject("adHoc").getDouble("spentRho");
        double adHocReleased = view.getJsonObject("adHoc").getDouble("releasedRho");
        assertThat(view.getJsonObject("pacing").getInteger("portion")).isEqualTo(2);
        assertThat(view.getJsonObject("pacing").getString("nextPortion")).isEqualTo("2026-06-16");
        assertThat(adHocReleased).isCloseTo(adHocCap / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(adHocSpent).isLessThanOrEqualTo(adHocReleased);
        assertThat(adHocReleased - adHocSpent).isLessThan(rhoPerRelease());
        // Each account's part is paced too: none spent more than half of its month's part by mid-month.
        for (int a = 0; a < ACCOUNTS; a++) {
            int account = a;
            double spent = answered.stream().filter(x -> x.account() == account).mapToDouble(Answered::rho).sum();
            assertThat(spent).as("account %d, paced", a).isLessThanOrEqualTo(accountCap / 2 * (1 + 1e-12));
        }
        assertThat(adHocSpent).isCloseTo(answered.stream().mapToDouble(Answered::rho).sum(),
                org.assertj.core.data.Offset.offset(1e-12));

        // ---- independent recomputation per resident -----------------------------------------------------------
        double publicationRho = published.rhoOfNoise();
        assertThat(view.getJsonObject("publications").getDouble("spentRho")).isCloseTo(published.rho,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(publicationRho).isLessThanOrEqualTo(published.rho * (1 + 1e-9));
        double capRho = independentRhoCap(CAP_EPSILON, CAP_DELTA);
        Worst w = worstResident(PUBLICATIONS_PER_MONTH * publicationRho, answered);
        double worst = w.rho();
        double worstEpsilon = w.epsilon();
        report("worst resident %s: ρ %.6f of the cap %.6f (N=%d publications %.6f, ad hoc %.6f): ε %.4f of %.1f",
                w.pseudonym(), worst, capRho, PUBLICATIONS_PER_MONTH, PUBLICATIONS_PER_MONTH * publicationRho,
                w.adHocRho(), worstEpsilon, CAP_EPSILON);
        assertThat(worst).isLessThanOrEqualTo(capRho);
        assertThat(worstEpsilon).isLessThanOrEqualTo(CAP_EPSILON);
        // Whatever else the month publishes (purchase statistics, the other periods), publications are held to
        // 1 − adHocShare of the cap; the ad-hoc releases of any resident fit beside all of it.
        double worstAdHoc = w.adHocRho();
        assertThat(worstAdHoc + (1 - 0.25) * capRho).isLessThanOrEqualTo(capRho);
        // The recomputation is not vacuous: the ad-hoc pool was spent on residents of this population.
        assertThat(worstAdHoc).isGreaterThan(0.5 * adHocReleased);

        // Published figures stay free for everybody after the pool is spent.
        Resp free = post(KEYS.get(ACCOUNTS - 1), "{\"filter\": {\"districts\": [\"Saarn\"]}}").await();
        assertThat(free.status()).as(free.body()).isEqualTo(200);
        assertThat(new JsonObject(free.body()).getJsonObject("source").getString("kind")).isEqualTo("publication");
    }

    @Test
    @Order(3)
    void aWholeMonthOfDashboardsAndAdHocQuestionsKeepsEveryResidentWithinTheCap() throws Exception {
        long started = System.nanoTime();
        // Every account asks about Saarn only, each from its own starting age: the oldest residents of Saarn are in
        // every ad-hoc release of the month, so the recomputation charges someone (nearly) the whole ad-hoc share.
        List<Question> saarn = questions().stream().filter(q -> q.body().contains("\"Saarn\"")).toList();
        List<List<Question>> perAccount = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
            List<Question> own = new ArrayList<>(saarn);
            Collections.rotate(own, -a);
            perAccount.add(own);
        }
        int[] next = new int[ACCOUNTS];
        ConcurrentLinkedQueue<Answered> month = new ConcurrentLinkedQueue<>();
        Map<String, PublishedCells> publications = new LinkedHashMap<>();
        Map<LocalDate, Integer> releasesByDay = new TreeMap<>();
        double adHocCap = Double.NaN;
        long dashboardAnswers = 0;
        long publishing = 0;
        long asking = 0;
        long adHocAsking = 0;
        for (LocalDate day = MONTH.atDay(1); !day.isAfter(MONTH.atEndOfMonth()); day = day.plusDays(1)) {
            clock.set(day.atTime(10, 0).atZone(BERLIN).toInstant());
            // The publisher notices the new period by itself (its periodic check against the moved clock).
            String period = CITY + "/" + MONTH + "/" + part(day, PUBLICATIONS_PER_MONTH) + "of" + PUBLICATIONS_PER_MONTH;
            long t0 = System.nanoTime();
            if (!publications.containsKey(period)) publications.put(period, awaitPublication(period));
            long t1 = System.nanoTime();
            publishing += t1 - t0;

            dashboardAnswers += askDashboards(day, period);
            long t2 = System.nanoTime();
            asking += t2 - t1;

            int before = month.size();
            askAdHocUntilRefused(day, perAccount, next, month);
            releasesByDay.put(day, month.size() - before);
            adHocAsking += System.nanoTime() - t2;

            JsonObject view = cityView(OPERATOR_KEY);
            adHocCap = view.getJsonObject("adHoc").getDouble("capRho");
            double paced = adHocCap * portion(day) / PORTIONS;
            double spent = view.getJsonObject("adHoc").getDouble("spentRho");
            assertThat(view.getJsonObject("pacing").getInteger("portion")).as("%s", day).isEqualTo(portion(day));
            // The pacing holds: never more than the part of the month's share released by this day ...
            assertThat(spent).as("%s", day).isLessThanOrEqualTo(paced * (1 + 1e-12));
            // ... and the service refuses only once that part is spent: it is used, not withheld.
            assertThat(spent).as("%s", day).isGreaterThan(paced - rhoPerRelease());
        }
        double monthSeconds = (System.nanoTime() - started) / 1e9;

        JsonObject view = cityView(OPERATOR_KEY);
        assertThat(view.getString("month")).isEqualTo(MONTH.toString());
        double adHocSpent = view.getJsonObject("adHoc").getDouble("spentRho");
        // The dashboards' questions cost nothing: the city's ad-hoc spending is exactly what the ad-hoc answers said.
        assertThat(adHocSpent).isCloseTo(month.stream().mapToDouble(Answered::rho).sum(),
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(adHocCap - adHocSpent).isNotNegative().isLessThan(rhoPerRelease());
        // Released on the first day of each portion (60 accounts spend a portion at once), on no other day.
        List<LocalDate> releaseDays = releasesByDay.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey).toList();
        List<LocalDate> portionStarts = new ArrayList<>();
        for (LocalDate d = MONTH.atDay(1); d.getMonth() == MONTH.getMonth(); d = nextPortion(d)) portionStarts.add(d);
        assertThat(releaseDays).containsExactlyElementsOf(portionStarts);
        assertThat(portionStarts).hasSize(PORTIONS);

        List<String> periods = new ArrayList<>();
        for (int n = 1; n <= PUBLICATIONS_PER_MONTH; n++) periods.add(CITY + "/" + MONTH + "/" + n + "of" + PUBLICATIONS_PER_MONTH);
        assertThat(publications.keySet()).containsExactlyElementsOf(periods);
        double publicationsRho = 0;
        double publicationsPaid = 0;
        for (PublishedCells p : publications.values()) {
            assertThat(p.rhoOfNoise()).isLessThanOrEqualTo(p.rho * (1 + 1e-9));
            publicationsRho += p.rhoOfNoise();
            publicationsPaid += p.rho;
        }
        assertThat(view.getJsonObject("publications").getDouble("spentRho")).isCloseTo(publicationsPaid,
                org.assertj.core.data.Offset.offset(1e-12));

        double capRho = independentRhoCap(CAP_EPSILON, CAP_DELTA);
        Worst w = worstResident(publicationsRho, month);
        report("%s: %d days in %.1f s: waiting for the publisher %.1f s, dashboards %.1f s, ad hoc %.1f s", MONTH,
                MONTH.lengthOfMonth(), monthSeconds, publishing / 1e9, asking / 1e9, adHocAsking / 1e9);
        report("%s: %d days in %.1f s; %d dashboard answers (all from the publication, free), %d ad-hoc releases on"
                        + " %s, ad hoc spent ρ %.6f of %.6f; %d publications ρ %.6f", MONTH, MONTH.lengthOfMonth(),
                monthSeconds, dashboardAnswers, month.size(), releasesByDay.entrySet().stream()
                        .filter(e -> e.getValue() > 0).map(e -> e.getKey().getDayOfMonth() + ":" + e.getValue()).toList(),
                adHocSpent, adHocCap, publications.size(), publicationsRho);
        report("%s, worst resident %s: ρ %.6f of the cap %.6f (publications %.6f, ad hoc %.6f): ε %.4f of %.1f at δ %s",
                MONTH, w.pseudonym(), w.rho(), capRho, publicationsRho, w.adHocRho(), w.epsilon(), CAP_EPSILON, CAP_DELTA);
        assertThat(w.rho()).isLessThanOrEqualTo(capRho);
        assertThat(w.epsilon()).isLessThanOrEqualTo(CAP_EPSILON);
        assertThat(w.adHocRho() + (1 - 0.25) * capRho).isLessThanOrEqualTo(capRho);
        // Not vacuous: the worst resident was in (nearly) every ad-hoc release of the month.
        assertThat(w.adHocRho()).isGreaterThan(0.9 * adHocCap);

        // The next month's first day: the budgets start again, the publications' share and the ad-hoc share alike.
        clock.set(MONTH.plusMonths(1).atDay(1).atTime(10, 0).atZone(BERLIN).toInstant());
        PublishedCells august = awaitPublication(CITY + "/" + MONTH.plusMonths(1) + "/1of" + PUBLICATIONS_PER_MONTH);
        Resp fresh = post(KEYS.get(0), perAccount.get(0).get(next[0]).body()).await();
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        JsonObject renewed = cityView(KEYS.get(0));
        assertThat(renewed.getString("month")).isEqualTo(MONTH.plusMonths(1).toString());
        assertThat(renewed.getJsonObject("publications").getDouble("spentRho")).isCloseTo(august.rho,
                org.assertj.core.data.Offset.offset(1e-15));
        assertThat(renewed.getJsonObject("adHoc").getDouble("spentRho")).isCloseTo(
                new JsonObject(fresh.body()).getJsonObject("source").getJsonObject("cost").getDouble("rho"),
                org.assertj.core.data.Offset.offset(1e-15));
    }

    /**
     * Every account opens a dashboard: one of the dashboards' questions, the next one each day (so each question is
     * asked by a third of the accounts every day; all of them would triple the test's longest part for no new
     * case). All free, from the period's publication. Returns how many were asked.
     */
    private int askDashboards(LocalDate day, String period) {
        List<Future<Resp>> dashboards = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
            dashboards.add(post(KEYS.get(a), DASHBOARD.get((a + day.getDayOfMonth()) % DASHBOARD.size())));
        }
        Future.all(dashboards).await();
        for (Future<Resp> f : dashboards) {
            Resp r = f.result();
            assertThat(r.status()).as("%s: %s", day, r.body()).isEqualTo(200);
            JsonObject source = new JsonObject(r.body()).getJsonObject("source");
            assertThat(source.getString("kind")).as(r.body()).isEqualTo("publication");
            assertThat(source.getString("publicationId")).as(r.body()).isEqualTo(period);
        }
        return dashboards.size();
    }

    /**
     * All accounts at once ask their next questions until each is refused; {@code next} moves on past what each
     * was answered. Every refusal is the city's and names the next portion (in the last one the next month).
     */
    private void askAdHocUntilRefused(LocalDate day, List<List<Question>> perAccount, int[] next,
                                      Collection<Answered> sink) {
        List<Future<Outcome>> loops = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) loops.add(askUntilRefused(a, perAccount.get(a), next[a], sink));
        Future.all(loops).await();
        Instant lifts = nextPortion(day).atStartOfDay(BERLIN).toInstant();
        for (int a = 0; a < ACCOUNTS; a++) {
            Outcome o = loops.get(a).result();
            next[a] = o.next();
            assertThat(o.scope()).as("%s, account %d", day, a).isIn("CITY_AD_HOC", "CITY_AD_HOC_ACCOUNT");
            assertThat(Instant.parse(o.renewsAt())).as("%s, account %d", day, a).isEqualTo(lifts);
            assertThat(o.period()).as("%s, account %d", day, a).isEqualTo(portion(day) < PORTIONS ? "PORTION" : "MONTH");
        }
    }

    /** Waits until the dashboards are answered from the period's publication, then reads it from the service's disk. */
    private PublishedCells awaitPublication(String period) throws Exception {
        String seen = null;
        for (long until = System.nanoTime() + Duration.ofMinutes(1).toNanos(); System.nanoTime() < until; Thread.sleep(100)) {
            Resp r = post(KEYS.get(0), DASHBOARD.get(0)).await();
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            seen = new JsonObject(r.body()).getJsonObject("source").getString("publicationId");
            if (period.equals(seen)) {
                PublishedCells cells = new PublishedCells(bed.publicationDir().resolve(CITY + ".json"));
                assertThat(cells.id).isEqualTo(period);
                return cells;
            }
        }
        throw new AssertionError("the publisher did not publish " + period + " within a minute; still serving " + seen);
    }

    /**
     * Which of n parts of the month a day is in, 1..n: the month cut into runs of whole days as equal as possible
     * (31 days in 4: 1–8, 9–16, 17–24, 25–31; in 2: 1–16, 17–31), for the publication periods and the ad-hoc
     * portions alike (docs/PRIVACY.md sections 3 and 6).
     */
    private static int part(LocalDate day, int n) {
        return (day.getDayOfMonth() - 1) * n / day.lengthOfMonth() + 1;
    }

    private static int portion(LocalDate day) {
        return part(day, PORTIONS);
    }

    /** The first day of the next portion, or of the next month in the last portion. */
    private static LocalDate nextPortion(LocalDate day) {
        LocalDate d = day;
        while (d.getMonth() == day.getMonth() && portion(d) == portion(day)) d = d.plusDays(1);
        return d;
    }

    // ---- asking ------------------------------------------------------------------------------------------------

    /** One account's loop: the next distinct question as soon as the last is answered, until a 429. */
    private Future<Outcome> askUntilRefused(int account, List<Question> questions, int from, Collection<Answered> sink) {
        Promise<Outcome> done = Promise.promise();
        askNext(account, questions, from, 0, sink, done);
        return done.future();
    }

    private void askNext(int account, List<Question> questions, int index, int answeredSoFar, Collection<Answered> sink,
                         Promise<Outcome> done) {
        if (index >= questions.size()) {
            done.fail(new AssertionError("account " + account + " was never refused after " + index + " questions"));
            return;
        }
        Question q = questions.get(index);
        post(KEYS.get(account), q.body()).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            Resp r = ar.result();
            if (r.status() == 429) {
                JsonObject error = new JsonObject(r.body()).getJsonObject("error");
                done.complete(new Outcome(answeredSoFar, error.getString("scope"), error.getString("period"),
                        error.getString("renewsAt"), index));
                return;
            }
            if (r.status() != 200) {
                done.fail(new AssertionError("account " + account + ": " + r.status() + " " + r.body()));
                return;
            }
            JsonObject source = new JsonObject(r.body()).getJsonObject("source");
            if (!"ad-hoc".equals(source.getString("kind"))) {
                done.fail(new AssertionError("not ad hoc: " + q.body() + " → " + r.body()));
                return;
            }
            sink.add(new Answered(account, q, source.getJsonObject("cost").getDouble("rho")));
            askNext(account, questions, index + 1, answeredSoFar + 1, sink, done);
        });
    }

    /** Distinct ad-hoc questions: a district (or the whole city) and an age range no band boundary starts. */
    private static List<Question> questions() {
        List<Question> list = new ArrayList<>();
        List<String> districts = new ArrayList<>(List.of("Saarn"));
        districts.addAll(ProfileFixture.DISTRICTS.stream().filter(d -> !d.equals("Saarn")).toList());
        for (String district : districts) {
            for (int from = 30; from <= 70; from++) {
                if (BAND_STARTS.contains(from)) continue;
                int ageFrom = from;
                list.add(new Question("{\"filter\": {\"districts\": [\"" + district + "\"], \"ageFrom\": " + from + "}}",
                        r -> district.equals(r.district()) && r.age() >= ageFrom));
            }
        }
        return List.copyOf(list);
    }

    // ---- the independent arithmetic ---------------------------------------------------------------------------

    /**
     * ρ of one ad-hoc count under the participants' rules, an upper bound: the discrete Gaussian calibrated to
     * (ε, δ) per question has ρ solving ρ + 2√(ρ ln(1/δ)) = ε (the service rounds σ² up, so it charges a little
     * less); the discrete Laplace ε²/2.
     */
    private double rhoPerRelease() {
        double eps = participantRules.epsilonPerQuestion().doubleValue();
        return switch (participantRules.mechanism()) {
            case DISCRETE_LAPLACE -> eps * eps / 2;
            case DISCRETE_GAUSSIAN -> {
                double l = Math.log(1 / participantRules.delta().doubleValue());
                double root = Math.sqrt(l + eps) - Math.sqrt(l);
                yield root * root * (1 + 1e-9);
            }
        };
    }

    /**
     * Every resident of the city charged independently: the month's publications (everyone is in each) plus each
     * ad-hoc release whose filter includes the resident, priced from the rules ({@link #rhoPerRelease}), not from
     * what the answer said it cost.
     */
    private Worst worstResident(double publicationsRho, Collection<Answered> releases) {
        Worst worst = null;
        for (Resident resident : population.residents()) {
            if (!resident.city().equals(CITY)) continue;
            double adHoc = 0;
            for (Answered x : releases) {
                if (x.question().filter().test(resident)) adHoc += rhoPerRelease();
            }
            if (worst == null || publicationsRho + adHoc > worst.rho()) {
                worst = new Worst(resident.pseudonym(), publicationsRho + adHoc, adHoc);
            }
        }
        return Objects.requireNonNull(worst, "no resident of " + CITY);
    }

    private double sigma() {
        return Math.sqrt(1 / (2 * rhoPerRelease()));
    }

    /** The largest ρ with ρ + 2√(ρ ln(1/δ)) ≤ ε, by bisection in exact decimals (not the service's closed form). */
    static double independentRhoCap(double epsilon, double delta) {
        BigDecimal eps = new BigDecimal(epsilon);
        BigDecimal l = new BigDecimal(Math.log(1 / delta) + 1e-12);
        double lo = 0;
        double hi = epsilon;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            BigDecimal rho = new BigDecimal(mid);
            BigDecimal rest = eps.subtract(rho);
            boolean ok = rest.signum() >= 0
                    && rho.multiply(l).multiply(BigDecimal.valueOf(4)).compareTo(rest.multiply(rest)) <= 0;
            if (ok) lo = mid; else hi = mid;
        }
        return lo;
    }

    // ---- HTTP and set-up -----------------------------------------------------------------------------------------

    private record Question(String body, Predicate<Resident> filter) {}

    private record Answered(int account, Question question, double rho) {}

    /** How an account's loop ended: its last refusal (scope, PORTION or MONTH, when it lifts) and its next question. */
    private record Outcome(int answered, String scope, String period, String renewsAt, int next) {}

    /** The resident whose month costs most in the recomputation, and the part of it that ad-hoc releases are. */
    private record Worst(String pseudonym, double rho, double adHocRho) {
        /** The (ε, δ) it converts to at the cap's δ (Bun–Steinke 2016, Prop. 1.3), computed here again. */
        double epsilon() {
            return rho + 2 * Math.sqrt(rho * Math.log(1 / CAP_DELTA));
        }
    }

    private record Resp(int status, String body) {}

    private JsonObject cityView(String key) {
        Resp r = send(key, BUDGET, null).await();
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Objects.requireNonNull(new JsonObject(r.body()).getJsonObject("city"), r.body());
    }

    private Future<Resp> post(String key, String body) {
        return send(key, SIZE, body);
    }

    private Future<Resp> send(String key, String path, String body) {
        HttpRequest<Buffer> request = body == null ? http.get(path) : http.post(path);
        request.putHeader("Authorization", "Bearer " + key);
        if (body != null) request.putHeader("Content-Type", "application/json");
        Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
        return sent.map(response -> new Resp(response.statusCode(),
                response.bodyAsString() == null ? "" : response.bodyAsString()));
    }

    private static String participants() {
        ArrayNode list = JSON.createArrayNode();
        list.addObject().put("id", "stadtmarketing").put("city", CITY).put("role", "OPERATOR")
                .put("apiKeySha256", ParticipantDirectory.digest(OPERATOR_KEY));
        for (int i = 0; i < ACCOUNTS; i++) {
            list.addObject().put("id", String.format(Locale.ROOT, "laden-%02d", i)).put("city", CITY)
                    .put("role", "PARTICIPANT").put("apiKeySha256", ParticipantDirectory.digest(KEYS.get(i)));
        }
        return list.toString();
    }

    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) keys.add(TestParticipants.randomKey());
        return List.copyOf(keys);
    }

    private static void report(String format, Object... args) {
        System.out.println("[CityAdHocAllowanceIT] " + String.format(Locale.ROOT, format, args));
    }
}
