package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.insights.Granularity;
import de.prokommun.insights.query.insights.InsightAnswer;
import de.prokommun.insights.query.insights.SegmentFilter;
import de.prokommun.insights.query.journey.JourneyRequests;
import de.prokommun.insights.query.journey.JourneyRequests.Level;
import de.prokommun.insights.query.journey.JourneyRequests.Period;
import de.prokommun.insights.query.journey.JourneyRequests.Within;
import de.prokommun.insights.query.journey.JourneyScope;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Published journey answers: the scope of a participant is the ad-hoc one (only rows that involve itself), the
 * operator sees the city, every answer is the publication's figures, free, the same for every asker of one scope,
 * and anything the publication does not hold is left to the ad-hoc path.
 */
class PublishedJourneyAnswersTest {

    private static final String BAKERY = "baeckerei-schmidt";
    private static final String BUTCHER = "metzgerei-brand";
    private static final String GROCER = "edeka-mueller";
    private static final List<String> CATALOGUE = List.of(GROCER, BAKERY, BUTCHER);
    private static final Asker OPERATOR = new Asker("musterstadt", "stadtmarketing", AskerRole.OPERATOR);
    private static final Asker OTHER_OPERATOR = new Asker("musterstadt", "werbegemeinschaft", AskerRole.OPERATOR);
    private static final Asker BAKERY_ASKER = new Asker("musterstadt", BAKERY, AskerRole.PARTICIPANT);
    private static final Asker BUTCHER_ASKER = new Asker("musterstadt", BUTCHER, AskerRole.PARTICIPANT);
    private static final BudgetStatus BUDGET = new BudgetStatus(1, 2, Instant.parse("2026-12-02T00:00:00Z"));
    private static final Period DECEMBER = new Period(Granularity.MONTH, 202612);
    private static final SegmentFilter ALL = SegmentFilter.everyone();

    private final PublishedJourney held = new PublishedJourney();
    private final PublishedJourneyAnswers answers = new PublishedJourneyAnswers(held, new PublishedStatistics(Musterstadt.policy()));
    private final JourneyDomain domain = JourneyDomain.of(CATALOGUE, List.of("stadtwerke"), List.of("Saarn", "Broich"),
            YearMonth.of(2026, 12), 2, SumClamps.DEFAULT);

    PublishedJourneyAnswersTest() {
        held.hold(publication());
    }

    /** Every cell a distinct value ≥ 100 (nothing suppressed), shared cells below both customers. */
    private JourneyPublication publication() {
        Map<String, Map<String, Map<String, Long>>> figures = new LinkedHashMap<>();
        long[] next = {100};
        for (int m : domain.months()) {
            Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
            for (JourneyGroup g : JourneyGroup.values()) {
                Map<String, Long> cells = new LinkedHashMap<>();
                for (String l : g.labels(domain)) cells.put(l, g == JourneyGroup.CUSTOMERS ? 10_000 + next[0]++ : next[0]++);
                groups.put(g.key(), cells);
            }
            groups.put(JourneyConsistency.SUMMARY, Map.of("giftSoldCents", 1_000L, "giftRedeemedCents", 800L,
                    "employerCreditedCents", 500L, "employerSpentCents", 400L));
            figures.put(JourneyDomain.monthLabel(m), groups);
        }
        return new JourneyPublication("musterstadt", "musterstadt/2026-12/1of4/journey", YearMonth.of(2026, 12),
                Instant.parse("2026-12-01T08:00:00Z"), Instant.parse("2026-12-01T07:59:00Z"), 0.006, CATALOGUE,
                List.of("stadtwerke"), Map.of(), figures, figures);
    }

    private InsightAnswer crossShopping(Asker asker, List<String> nodes) {
        var r = JourneyScope.crossShopping(asker, new JourneyRequests.CrossShopping(DECEMBER, nodes, ALL, null));
        return answers.crossShopping(asker, r, () -> BUDGET).orElseThrow();
    }

    private static Set<String> rows(InsightAnswer a, String table) {
        return a.tables().stream().filter(t -> t.name().equals(table)).flatMap(t -> t.rows().stream())
                .map(InsightAnswer.Row::label).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean hasTable(InsightAnswer a, String table) {
        return a.tables().stream().anyMatch(t -> t.name().equals(table));
    }

    private static Long value(InsightAnswer a, String table, String row, String figure) {
        return a.tables().stream().filter(t -> t.name().equals(table)).flatMap(t -> t.rows().stream())
                .filter(r -> r.label().equals(row)).findFirst().orElseThrow().figures().get(figure).value();
    }

    @Test
    void theOperatorSeesTheWholeMatrixFromThePublicationForFree() {
        InsightAnswer a = crossShopping(OPERATOR, List.of(GROCER, BAKERY, BUTCHER));
        assertThat(a.source().isPublication()).isTrue();
        assertThat(a.dataVersion()).isEqualTo("musterstadt/2026-12/1of4/journey");
        assertThat(a.rhoSpent()).isZero();
        assertThat(a.epsilonSpent()).isZero();
        assertThat(rows(a, "customers")).containsExactlyInAnyOrder(GROCER, BAKERY, BUTCHER);
        assertThat(rows(a, "shared")).hasSize(6);
        // shared(A→B) and shared(B→A) are the same published cell
        assertThat(value(a, "shared", BAKERY + "→" + BUTCHER, "shared"))
                .isEqualTo(value(a, "shared", BUTCHER + "→" + BAKERY, "shared"))
                .isEqualTo(held.latest("musterstadt").orElseThrow().value("2026-12", "shared", BAKERY + "→" + BUTCHER).orElseThrow());
        // identical for another asker of the same scope
        assertThat(crossShopping(OTHER_OPERATOR, List.of(GROCER, BAKERY, BUTCHER)).tables()).isEqualTo(a.tables());
    }

    @Test
    void aParticipantSeesOnlyItsOwnRowOfTheMatrixAndNeverTheCustomersOfAnother() {
        InsightAnswer a = crossShopping(BAKERY_ASKER, List.of(BAKERY, BUTCHER, GROCER));
        assertThat(rows(a, "customers")).containsExactly(BAKERY);
        assertThat(rows(a, "shared")).containsExactlyInAnyOrder(BAKERY + "→" + BUTCHER, BAKERY + "→" + GROCER);
        // naming one other participant adds itself; the other's customers stay hidden
        InsightAnswer one = crossShopping(BAKERY_ASKER, List.of(BUTCHER));
        assertThat(rows(one, "customers")).containsExactly(BAKERY);
        assertThat(rows(one, "shared")).containsExactly(BAKERY + "→" + BUTCHER);
        // pairs between two others: refused before anything is read, as for the ad-hoc answer
        assertThatThrownBy(() -> crossShopping(BAKERY_ASKER, List.of(BUTCHER, GROCER)))
                .isInstanceOf(ForbiddenFieldException.class);
        // the shared cell of a pair is the same for both of its participants
        assertThat(value(a, "shared", BAKERY + "→" + BUTCHER, "shared")).isEqualTo(
                value(crossShopping(BUTCHER_ASKER, List.of(BAKERY)), "shared", BUTCHER + "→" + BAKERY, "shared"));
    }

    @Test
    void flowsOfAParticipantAreThoseFromAndToItselfInTheBucketAsked() {
        var r = JourneyScope.flows(BAKERY_ASKER, new JourneyRequests.Flows(DECEMBER, Level.PARTICIPANT,
                List.of(BAKERY, BUTCHER, GROCER), Within.DAY, ALL, null));
        InsightAnswer a = answers.flows(BAKERY_ASKER, r, () -> BUDGET).orElseThrow();
        assertThat(rows(a, "flows")).containsExactlyInAnyOrder(BAKERY + "→" + BUTCHER, BAKERY + "→" + GROCER,
                BUTCHER + "→" + BAKERY, GROCER + "→" + BAKERY);
        assertThat(value(a, "flows", BAKERY + "→" + BUTCHER, "residents")).isEqualTo(held.latest("musterstadt")
                .orElseThrow().value("2026-12", "flows:24", BAKERY + "→" + BUTCHER).orElseThrow());
        var operator = JourneyScope.flows(OPERATOR, new JourneyRequests.Flows(DECEMBER, Level.PARTICIPANT,
                List.of(BAKERY, BUTCHER, GROCER), Within.DAY, ALL, null));
        assertThat(rows(answers.flows(OPERATOR, operator, () -> BUDGET).orElseThrow(), "flows")).hasSize(6);
    }

    @Test
    void aParticipantsVoucherAnswerHoldsOnlyItsOwnRowsAndTheLinksItIsPartOf() {
        var r = JourneyScope.vouchers(BAKERY_ASKER, new JourneyRequests.Vouchers(DECEMBER, null));
        InsightAnswer a = answers.vouchers(BAKERY_ASKER, r, () -> BUDGET).orElseThrow();
        for (String table : List.of("giftSold", "giftRedeemed", "employerSpent", "bonus")) {
            assertThat(rows(a, table)).as(table).containsExactly(BAKERY);
        }
        assertThat(rows(a, "giftMatrix")).isNotEmpty().allMatch(l -> l.startsWith(BAKERY + "→") || l.endsWith("→" + BAKERY));
        assertThat(hasTable(a, "employer")).isFalse();
        assertThat(hasTable(a, "summary")).isFalse();

        var op = JourneyScope.vouchers(OPERATOR, new JourneyRequests.Vouchers(DECEMBER, null));
        InsightAnswer city = answers.vouchers(OPERATOR, op, () -> BUDGET).orElseThrow();
        assertThat(rows(city, "giftSold")).containsExactlyInAnyOrder(GROCER, BAKERY, BUTCHER, "other");
        assertThat(rows(city, "giftMatrix")).hasSize(9);
        assertThat(rows(city, "employer")).containsExactlyInAnyOrder("stadtwerke", "other");
        assertThat(value(city, "summary", "all", "giftSoldCents")).isEqualTo(1_000L);
        // a participant's own row is the operator's row of it: one publication, one value
        assertThat(value(a, "giftSold", BAKERY, "amountCents")).isEqualTo(value(city, "giftSold", BAKERY, "amountCents"));
    }

    @Test
    void theShownGiftLinksIntoAPlaceNeverAddUpToMoreThanItsOwnRedeemedValue() {
        // issue 15, finding 6: in this publication every link is larger than a third of its place's redeemed value
        var op = JourneyScope.vouchers(OPERATOR, new JourneyRequests.Vouchers(DECEMBER, null));
        InsightAnswer city = answers.vouchers(OPERATOR, op, () -> BUDGET).orElseThrow();
        JourneyPublication p = held.latest("musterstadt").orElseThrow();
        boolean scaled = false;
        for (String place : CATALOGUE) {
            long own = value(city, "giftRedeemed", place, "amountCents");
            long published = 0;
            long shown = 0;
            for (String seller : CATALOGUE) {
                String link = seller + "→" + place;
                long v = p.value("2026-12", "giftMatrix", link).orElseThrow();
                published += v;
                Long s = value(city, "giftMatrix", link, "amountCents");
                assertThat(s).as(link).isLessThanOrEqualTo(v);
                shown += s;
            }
            assertThat(shown).as("links into %s", place).isLessThanOrEqualTo(own);
            if (published > own) {
                scaled = true;
                assertThat(shown).as("scaled in proportion, rounded down").isGreaterThan(own - CATALOGUE.size());
            }
        }
        assertThat(scaled).as("the fixture exercises the bound").isTrue();
        InsightAnswer bakery = answers.vouchers(BAKERY_ASKER, JourneyScope.vouchers(BAKERY_ASKER,
                new JourneyRequests.Vouchers(DECEMBER, null)), () -> BUDGET).orElseThrow();
        long into = 0;
        for (String seller : CATALOGUE) into += value(bakery, "giftMatrix", seller + "→" + BAKERY, "amountCents");
        assertThat(into).as("the participant's view too").isLessThanOrEqualTo(value(bakery, "giftRedeemed", BAKERY, "amountCents"));
    }

    @Test
    void firstVisitsOfAParticipantAreItsOwnRowOnly() {
        var mine = answers.firstVisits(BAKERY_ASKER, JourneyScope.firstVisits(BAKERY_ASKER,
                new JourneyRequests.FirstVisits(DECEMBER, ALL, null)), () -> BUDGET).orElseThrow();
        assertThat(rows(mine, "firstVisits")).containsExactly(BAKERY);
        var city = answers.firstVisits(OPERATOR, JourneyScope.firstVisits(OPERATOR,
                new JourneyRequests.FirstVisits(DECEMBER, ALL, null)), () -> BUDGET).orElseThrow();
        assertThat(rows(city, "firstVisits")).containsExactlyInAnyOrder(GROCER, BAKERY, BUTCHER, "other");
    }

    @Test
    void whatThePublicationDoesNotHoldIsLeftToTheAdHocPath() {
        SegmentFilter families = new SegmentFilter(null, null, new TreeSet<>(Set.of("family")), null, null);
        // a segment, a year, a month outside the window, a node outside the catalogue, category flows
        assertThat(answers.crossShopping(OPERATOR, new JourneyRequests.CrossShopping(DECEMBER, List.of(BAKERY, BUTCHER),
                families, null), () -> BUDGET)).isEmpty();
        assertThat(answers.crossShopping(OPERATOR, new JourneyRequests.CrossShopping(new Period(Granularity.YEAR, 2026),
                List.of(BAKERY, BUTCHER), ALL, null), () -> BUDGET)).isEmpty();
        assertThat(answers.crossShopping(OPERATOR, new JourneyRequests.CrossShopping(new Period(Granularity.MONTH, 202610),
                List.of(BAKERY, BUTCHER), ALL, null), () -> BUDGET)).isEmpty();
        assertThat(answers.crossShopping(OPERATOR, new JourneyRequests.CrossShopping(new Period(Granularity.MONTH, 202611),
                List.of(BAKERY, BUTCHER), ALL, null), () -> BUDGET)).isPresent();
        assertThat(answers.crossShopping(OPERATOR, new JourneyRequests.CrossShopping(DECEMBER,
                List.of(BAKERY, "cj-store-343"), ALL, null), () -> BUDGET)).isEmpty();
        assertThat(answers.flows(OPERATOR, new JourneyRequests.Flows(DECEMBER, Level.CATEGORY, List.of("backwaren",
                "fleisch"), Within.DAY, ALL, null), () -> BUDGET)).isEmpty();
        // when-where of one participant (a participant always asks with itself) is not published
        var own = JourneyScope.whenWhere(BAKERY_ASKER, new JourneyRequests.WhenWhere(DECEMBER, ALL, null));
        assertThat(answers.whenWhere(BAKERY_ASKER, own, () -> BUDGET)).isEmpty();
        var city = answers.whenWhere(OPERATOR, new JourneyRequests.WhenWhere(DECEMBER, ALL, null), () -> BUDGET);
        assertThat(city).isPresent();
        assertThat(rows(city.get(), "weekdayHour")).hasSize(168);
        assertThat(rows(city.get(), "places")).containsExactlyInAnyOrder("Saarn", "Broich", "other");
        // another city has no publication
        Asker elsewhere = new Asker("anderstadt", "stadtmarketing", AskerRole.OPERATOR);
        assertThat(answers.whenWhere(elsewhere, new JourneyRequests.WhenWhere(DECEMBER, ALL, null), () -> BUDGET)).isEmpty();
    }
}
