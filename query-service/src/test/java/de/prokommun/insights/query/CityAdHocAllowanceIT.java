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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    private static final int PUBLICATIONS_PER_MONTH = 4;
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
    /** 10:00 in Berlin on 15 June; the clock stands still, so everything happens in one data version. */
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
                        QueryConfig.PUBLICATIONS_PER_MONTH.name(), Integer.toString(PUBLICATIONS_PER_MONTH)));
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
        for (int a = 0; a < ACCOUNTS; a++) all.add(askUntilRefused(a, questions, a == 0 ? 1 : 0));
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
        double worst = 0;
        String worstResident = null;
        Map<String, Double> perResident = new HashMap<>();
        for (Resident resident : population.residents()) {
            if (!resident.city().equals(CITY)) continue;
            // Every one of the month's N publications includes every resident (the cube holds everybody).
            double total = PUBLICATIONS_PER_MONTH * publicationRho;
            for (Answered x : answered) {
                // Priced from the rules, not from the answer: one release of a count per question.
                if (x.question().filter().test(resident)) total += rhoPerRelease();
            }
            perResident.put(resident.pseudonym(), total);
            if (total > worst) {
                worst = total;
                worstResident = resident.pseudonym();
            }
        }
        double worstEpsilon = worst + 2 * Math.sqrt(worst * Math.log(1 / CAP_DELTA));
        report("worst resident %s: ρ %.6f of the cap %.6f (N=%d publications %.6f, ad hoc %.6f): ε %.4f of %.1f",
                worstResident, worst, capRho, PUBLICATIONS_PER_MONTH, PUBLICATIONS_PER_MONTH * publicationRho,
                worst - PUBLICATIONS_PER_MONTH * publicationRho, worstEpsilon, CAP_EPSILON);
        assertThat(worst).isLessThanOrEqualTo(capRho);
        assertThat(worstEpsilon).isLessThanOrEqualTo(CAP_EPSILON);
        // Whatever else the month publishes (purchase statistics, the other periods), publications are held to
        // 1 − adHocShare of the cap; the ad-hoc releases of any resident fit beside all of it.
        double worstAdHoc = worst - PUBLICATIONS_PER_MONTH * publicationRho;
        assertThat(worstAdHoc + (1 - 0.25) * capRho).isLessThanOrEqualTo(capRho);
        // The recomputation is not vacuous: the ad-hoc pool was spent on residents of this population.
        assertThat(worstAdHoc).isGreaterThan(0.5 * adHocReleased);

        // Published figures stay free for everybody after the pool is spent.
        Resp free = post(KEYS.get(ACCOUNTS - 1), "{\"filter\": {\"districts\": [\"Saarn\"]}}").await();
        assertThat(free.status()).as(free.body()).isEqualTo(200);
        assertThat(new JsonObject(free.body()).getJsonObject("source").getString("kind")).isEqualTo("publication");
    }

    // ---- asking ------------------------------------------------------------------------------------------------

    /** One account's loop: the next distinct question as soon as the last is answered, until a 429. */
    private Future<Outcome> askUntilRefused(int account, List<Question> questions, int from) {
        Promise<Outcome> done = Promise.promise();
        askNext(account, questions, from, 0, done);
        return done.future();
    }

    private void askNext(int account, List<Question> questions, int index, int answeredSoFar, Promise<Outcome> done) {
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
                done.complete(new Outcome(answeredSoFar, new JsonObject(r.body()).getJsonObject("error").getString("scope")));
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
            answered.add(new Answered(account, q, source.getJsonObject("cost").getDouble("rho")));
            askNext(account, questions, index + 1, answeredSoFar + 1, done);
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

    private record Outcome(int answered, String scope) {}

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
