package de.prokommun.insights.query.journey;

import de.prokommun.insights.contract.Measure;
import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.query.audience.SellerConfidentiality;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Question;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceQuery;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.CityNotConfiguredException;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.DataVersion;
import de.prokommun.insights.query.audience.TrueCountSource;
import de.prokommun.insights.query.insights.ContributionQuery;
import de.prokommun.insights.query.insights.ContributionSource;
import de.prokommun.insights.query.insights.Derived;
import de.prokommun.insights.query.insights.Granularity;
import de.prokommun.insights.query.insights.InsightAnswer;
import de.prokommun.insights.query.insights.ReleasePlan;
import de.prokommun.insights.query.insights.SegmentFilter;
import de.prokommun.insights.query.journey.JourneyRequests.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers the journey questions (cross-shopping, flows, first visits, when and where, vouchers, engagement): true
 * figures are summed over the contribution rows by {@link JourneyData} and released at once through
 * {@link DisclosureControl} by a {@link ReleasePlan}, with the clamps of {@link JourneyClamps}. Only
 * {@link InsightAnswer}s leave this class; shares, rates and lifts are computed from released values. A question the
 * latest journey publication can answer ({@link PublishedJourneys}) is answered from it instead: free, the same for
 * every asker, nothing released.
 */
public final class JourneyService {

    private final CityCatalog cities;
    private final ParticipantCatalogue catalogue;
    private final JourneyData data;
    private final DisclosureControl disclosure;
    private final PrivacyPolicy policy;
    private final Function<String, SumClamps> clamps;
    private final DataVersion dataVersion;
    private final String profilesTable;
    private final int maxValuesPerDimension;
    private final PublishedJourneys published;
    private final SellerConfidentiality sellers;

    public JourneyService(CityCatalog cities, ParticipantCatalogue catalogue, TrueCountSource profiles,
                          ContributionSource contributions, DisclosureControl disclosure, PrivacyPolicy policy,
                          Function<String, SumClamps> clamps, DataVersion dataVersion, String profilesTable,
                          String contributionsTable, int maxValuesPerDimension) {
        this(cities, catalogue, profiles, contributions, disclosure, policy, clamps, dataVersion, profilesTable,
                contributionsTable, maxValuesPerDimension, PublishedJourneys.NONE);
    }

    /** A service that answers from the latest journey publication whenever it holds every figure asked. */
    public JourneyService(CityCatalog cities, ParticipantCatalogue catalogue, TrueCountSource profiles,
                          ContributionSource contributions, DisclosureControl disclosure, PrivacyPolicy policy,
                          Function<String, SumClamps> clamps, DataVersion dataVersion, String profilesTable,
                          String contributionsTable, int maxValuesPerDimension, PublishedJourneys published) {
        this(cities, catalogue, profiles, contributions, disclosure, policy, clamps, dataVersion, profilesTable,
                contributionsTable, maxValuesPerDimension, published, SellerConfidentiality.NONE);
    }

    /**
     * As above; category flows are first weighed by {@code sellers} (business confidentiality, docs/PRIVACY.md
     * section 24): each category node within the segment asked, so a competitor never reads a single seller's (or
     * two dominant sellers') customers through a flow.
     */
    public JourneyService(CityCatalog cities, ParticipantCatalogue catalogue, TrueCountSource profiles,
                          ContributionSource contributions, DisclosureControl disclosure, PrivacyPolicy policy,
                          Function<String, SumClamps> clamps, DataVersion dataVersion, String profilesTable,
                          String contributionsTable, int maxValuesPerDimension, PublishedJourneys published,
                          SellerConfidentiality sellers) {
        this.sellers = sellers;
        this.published = published;
        this.cities = cities;
        this.catalogue = catalogue;
        this.data = new JourneyData(contributions, profiles, contributionsTable);
        this.disclosure = disclosure;
        this.policy = policy;
        this.clamps = clamps;
        this.dataVersion = dataVersion;
        this.profilesTable = profilesTable;
        this.maxValuesPerDimension = maxValuesPerDimension;
    }

    // ---- parsing and scoping (400 for bad fields, 403 for figures not involving a participant asker) ---------

    public JourneyRequests.CrossShopping parseCrossShopping(Asker asker, String body) {
        return JourneyScope.crossShopping(asker, parser(asker).crossShopping(body));
    }

    public JourneyRequests.Flows parseFlows(Asker asker, String body) {
        return JourneyScope.flows(asker, parser(asker).flows(body));
    }

    public JourneyRequests.FirstVisits parseFirstVisits(Asker asker, String body) {
        return JourneyScope.firstVisits(asker, parser(asker).firstVisits(body));
    }

    public JourneyRequests.WhenWhere parseWhenWhere(Asker asker, String body) {
        return JourneyScope.whenWhere(asker, parser(asker).whenWhere(body));
    }

    public JourneyRequests.Vouchers parseVouchers(Asker asker, String body) {
        return JourneyScope.vouchers(asker, parser(asker).vouchers(body));
    }

    public JourneyRequests.Engagement parseEngagement(Asker asker, String body) {
        return JourneyScope.engagement(asker, parser(asker).engagement(body));
    }

    private JourneyRequestParser parser(Asker asker) {
        return new JourneyRequestParser(vocabulary(asker), catalogue.city(asker.city()), maxValuesPerDimension);
    }

    private CityVocabulary vocabulary(Asker asker) {
        return cities.city(asker.city()).orElseThrow(() -> new CityNotConfiguredException(asker.city()));
    }

    private JourneyContext context(Asker asker) {
        CityVocabulary city = vocabulary(asker);
        return new JourneyContext(city, catalogue.city(asker.city()), dataVersion.current(city.timeZone()),
                (int) dataVersion.today(city.timeZone()), clamps.apply(asker.city()));
    }

    // ---- answers ----------------------------------------------------------------------------------------------

    /** Customers per participant and shared customers per ordered pair; share = shared(A→B) / customers(A). */
    public InsightAnswer crossShopping(Asker asker, JourneyRequests.CrossShopping r) {
        Optional<InsightAnswer> fromPublication = published.crossShopping(asker, r, () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        JourneyContext c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        Period p = r.period();
        boolean year = p.granularity() == Granularity.YEAR;
        String focus = r.focus();
        List<String> nodes = r.participants();
        List<String> owners = focus == null ? nodes : List.of(focus);

        plan.table("customers", owners);
        Measure customersOf = year ? Measures.CUSTOMER_YEAR : Measures.CUSTOMER_MONTH;
        ContributionQuery customers = periodQuery(c, customersOf.name(), customersOf.column(), p)
                .segment(r.segment()).in("participant", owners).groupBy("participant");
        CanonicalQuestion cq = JourneyQuestions.of(JourneyQuestions.CUSTOMERS, p, r.segment(), focus);
        if (focus == null) {
            plan.sums(cq.anyOf("nodes", nodes).build(), data.cells(customers, owners, false),
                    JourneyClamps.customers(nodes.size()), "customers", null, "customers");
        } else {
            plan.counts(cq.build(), data.cells(customers, owners, false), "customers", null, "customers");
        }

        List<String[]> pairs = pairs(nodes, focus, false);
        Measure sharedOf = year ? Measures.SHARED_CUSTOMER_YEAR : Measures.SHARED_CUSTOMER_MONTH;
        ContributionQuery shared = periodQuery(c, sharedOf.name(), sharedOf.column(), p)
                .segment(r.segment()).in("participant", owners).in("counterpart", nodes)
                .groupBy("participant").groupBy("counterpart");
        matrix(plan, "shared", "shared", pairs, shared,
                JourneyQuestions.of(JourneyQuestions.SHARED, p, r.segment(), focus).anyOf("nodes", nodes).build(),
                JourneyClamps.pairs(nodes.size(), focus != null));
        plan.affordable(policy, asker, "participants", "ask again tomorrow");

        List<Release> releases = plan.release(disclosure, asker, c.version());
        for (String[] pair : pairs) {
            plan.derive("shared", JourneyData.pair(pair[0], pair[1]), "share", Derived.share(
                    plan.cell("shared", JourneyData.pair(pair[0], pair[1]), "shared"), plan.cell("customers", pair[0], "customers")));
        }
        return answer("journey.cross-shopping", c, plan, releases, List.of(
                "customers: distinct residents with a purchase at the participant in " + p.label()
                        + (focus == null ? " (one release; a person can be a customer of all " + nodes.size()
                        + " participants, so its noise covers " + nodes.size() + ")" : ""),
                "shared A→B: distinct residents with a purchase at both A and B in " + p.label() + "; released as one"
                        + " matrix whose noise covers a person's whole contribution ("
                        + JourneyClamps.pairs(nodes.size(), focus != null) + " cells)",
                "share = shared(A→B) / customers(A), from released (noisy) figures; null when an input is suppressed or zero",
                "the segment is the one a person had when the row was first recorded"));
    }

    /** Residents moving from one node to the next visit at another within the time asked, as Sankey links. */
    public InsightAnswer flows(Asker asker, JourneyRequests.Flows r) {
        if (r.level() == JourneyRequests.Level.CATEGORY) { // before the publication too: it holds no category flows
            sellers.checkCells(asker, "nodes", r.nodes(), true, false, r.period().months(), r.segment(), null, null);
        }
        Optional<InsightAnswer> fromPublication = published.flows(asker, r, () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        JourneyContext c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        Period p = r.period();
        List<Integer> months = p.months();
        List<String> nodes = r.nodes();
        String column = r.level().column();
        ContributionQuery q = data.query(c.city().city(), r.level().measure(), "count")
                .periods(Granularity.MONTH, months).equalTo("lagBucket", r.within().hours()).segment(r.segment())
                .in(column, nodes).in("counterpart", nodes).groupBy(column).groupBy("counterpart");
        long clamp = JourneyClamps.flows(nodes.size(), r.focus() != null, months.size());
        Question question = JourneyQuestions.of(JourneyQuestions.FLOWS, p, r.segment(), r.focus())
                .param("level", r.level().apiName()).param("within", r.within().apiName()).anyOf("nodes", nodes).build();
        matrix(plan, "flows", "residents", pairs(nodes, r.focus(), true), q, question, clamp);
        plan.affordable(policy, asker, "nodes", "ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version());
        return answer("journey.flows", c, plan, releases, List.of(
                "residents A→B: distinct residents whose next visit after a visit at A was at B within "
                        + r.within().apiName() + ", counted once per month of the second visit"
                        + (months.size() > 1 ? " and summed over the " + months.size() + " months" : ""),
                "one release: the noise covers a person's whole contribution (" + clamp + " = cells a person can add 1"
                        + " to, times months)",
                "source and target name the nodes of each link (for a Sankey diagram)"));
    }

    /** Which participant brought new customers: residents whose earliest visit ever was there, in the period. */
    public InsightAnswer firstVisits(Asker asker, JourneyRequests.FirstVisits r) {
        Optional<InsightAnswer> fromPublication = published.firstVisits(asker, r, () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        JourneyContext c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        List<String> labels = r.focus() == null ? c.participants().participants() : List.of(r.focus());
        ContributionQuery q = periodQuery(c, Measures.FIRST_VISIT.name(), "count", r.period()).segment(r.segment()).groupBy("participant");
        if (r.focus() != null) q.in("participant", labels);
        plan.table("firstVisits", labels);
        plan.counts(JourneyQuestions.of(JourneyQuestions.FIRST_VISITS, r.period(), r.segment(), r.focus()).build(),
                data.cells(q, labels, r.focus() == null), "firstVisits", null, "newCustomers");
        plan.affordable(policy, asker, "period", "ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version());
        return answer("journey.first-visits", c, plan, releases, List.of(
                "newCustomers: residents whose first visit ever (purchase or check-in) was at the participant and fell"
                        + " in " + r.period().label() + "; each resident counts in one row only",
                "other: participants outside the city's participant catalogue"));
    }

    /** Visits by weekday × hour and visits and spend by the district of the participant visited. */
    public InsightAnswer whenWhere(Asker asker, JourneyRequests.WhenWhere r) {
        Optional<InsightAnswer> fromPublication = published.whenWhere(asker, r, () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        JourneyContext c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        Period p = r.period();
        int months = p.months().size();
        List<String> slots = new ArrayList<>();
        for (int d = 1; d <= 7; d++) for (int h = 0; h < 24; h++) slots.add(String.format("%d-%02d", d, h));
        plan.table("weekdayHour", slots);
        Map<List<String>, Long> byHour = data.grouped(visits(c, r, "count").groupBy("weekday").groupBy("hour"), slots.size());
        plan.sums(JourneyQuestions.of(JourneyQuestions.VISITS_WEEKDAY_HOUR, p, r.segment(), r.participant()).build(),
                JourneyData.cells(byHour, k -> slot(k.get(0), k.get(1)), slots, false),
                JourneyClamps.visits(c.clamps(), months), "weekdayHour", null, "visits");
        List<String> places = c.city().districts();
        plan.table("places", places);
        plan.sums(JourneyQuestions.of(JourneyQuestions.VISITS_PLACE, p, r.segment(), r.participant()).build(),
                data.cells(visits(c, r, "count").groupBy("place"), places, true),
                JourneyClamps.visits(c.clamps(), months), "places", null, "visits");
        plan.sums(JourneyQuestions.of(JourneyQuestions.SPEND_PLACE, p, r.segment(), r.participant()).build(),
                data.cells(visits(c, r, "amountCents").groupBy("place"), places, true),
                JourneyClamps.spendCents(c.clamps(), months), "places", null, "spendCents");
        plan.affordable(policy, asker, "period", "ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version());
        return answer("journey.when-where", c, plan, releases, List.of(
                "visits: purchases and check-ins" + (r.participant() == null ? "" : " at " + r.participant())
                        + ", at most " + c.clamps().visitsPerPersonMonth() + " per person and month (the first ones)",
                "weekdayHour: row d-hh = ISO weekday d (1 = Monday) and hour hh in the city's time zone",
                "places: the district of the participant visited; other = not known; spendCents: receipt totals cut to "
                        + c.clamps().spendCentsPerPersonMonth() + " cents per person and month",
                "one release per table and figure: the noise covers a person's whole month (times " + months + ")"));
    }

    public InsightAnswer vouchers(Asker asker, JourneyRequests.Vouchers r) {
        Optional<InsightAnswer> fromPublication = published.vouchers(asker, r, () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        JourneyContext c = context(asker);
        VoucherCirculation circulation = new VoucherCirculation(c, data, r);
        ReleasePlan plan = circulation.plan();
        plan.affordable(policy, asker, "period", "ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version());
        circulation.derive(plan, policy.rules(asker.city(), asker.role()));
        return answer("journey.vouchers", c, plan, releases, circulation.notes());
    }

    /**
     * Of the residents who subscribed to or followed the participant in the month, how many bought there within 30
     * days, against a baseline matched by age band from the participant's other customers.
     */
    public InsightAnswer engagement(Asker asker, JourneyRequests.Engagement r) {
        JourneyContext c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        Period p = r.period();
        String participant = r.participant();
        SegmentFilter all = SegmentFilter.everyone();
        plan.table("engagement", List.of("engaged"));
        plan.counts(JourneyQuestions.of(JourneyQuestions.ENGAGED, p, all, participant).build(),
                List.of(new TrueCell("", data.total(engagementQuery(c, Measures.ENGAGED_MONTH.name(), p, participant)))),
                "engagement", "engaged", "residents");
        plan.counts(JourneyQuestions.of(JourneyQuestions.ENGAGED_BUYERS, p, all, participant).build(),
                List.of(new TrueCell("", data.total(engagementQuery(c, Measures.ENGAGED_BUYER_MONTH.name(), p, participant)))),
                "engagement", "engaged", "buyers");

        List<String> bands = new ArrayList<>(c.city().ageBands());
        plan.table("baseline", bands);
        AudienceQuery residents = new AudienceQuery(profilesTable, c.city().city(), AudienceFilter.everyone(),
                Optional.of(Breakdown.AGE_BAND), c.city().categories(), c.todayEpochDay());
        plan.counts(residents.question(), data.residents(residents, bands), "baseline", null, "residents");
        byBand(plan, c, JourneyQuestions.CUSTOMERS, Measures.CUSTOMER_MONTH.name(), p, participant, bands, "customers");
        byBand(plan, c, JourneyQuestions.ENGAGED, Measures.ENGAGED_MONTH.name(), p, participant, bands, "engaged");
        byBand(plan, c, JourneyQuestions.ENGAGED_BUYERS, Measures.ENGAGED_BUYER_MONTH.name(), p, participant, bands, "engagedBuyers");
        plan.affordable(policy, asker, "participant", "ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version());

        List<ReleasedCell> engagedPerBand = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (String band : plan.rows("baseline")) {
            Double rate = JourneyDerived.baselineRate(plan.cell("baseline", band, "customers"),
                    plan.cell("baseline", band, "engagedBuyers"), plan.cell("baseline", band, "residents"),
                    plan.cell("baseline", band, "engaged"));
            plan.derive("baseline", band, "rate", rate);
            engagedPerBand.add(plan.cell("baseline", band, "engaged"));
            rates.add(rate);
        }
        Double conversion = Derived.share(plan.cell("engagement", "engaged", "buyers"),
                plan.cell("engagement", "engaged", "residents"));
        Double expected = JourneyDerived.expectedConversion(engagedPerBand, rates);
        plan.derive("engagement", "engaged", "conversion", conversion);
        plan.derive("summary", "all", "expectedConversion", expected);
        plan.derive("summary", "all", "lift", Derived.index(conversion, expected));
        return answer("journey.engagement", c, plan, releases, List.of(
                "residents: distinct residents who subscribed to " + participant + "'s newsletter or followed it in "
                        + p.label() + "; buyers: those of them with a purchase there within 30 days after",
                "conversion = buyers / residents; baseline rate per age band = (customers − engagedBuyers) /"
                        + " (residents − engaged): how often residents of the band who did not engage bought there",
                "expectedConversion = Σ engaged(band) × rate(band) / Σ engaged(band); lift = conversion /"
                        + " expectedConversion; all from released (noisy) figures",
                "an approximation: the baseline counts customers of the calendar month (not a 30-day window) and"
                        + " residents per age band as they are now"));
    }

    // ---- building blocks ----------------------------------------------------------------------------------------

    private ContributionQuery periodQuery(JourneyContext c, String measure, String valueColumn, Period p) {
        return data.query(c.city().city(), measure, valueColumn).periods(p.granularity(), List.of(p.value()));
    }

    private ContributionQuery visits(JourneyContext c, JourneyRequests.WhenWhere r, String valueColumn) {
        ContributionQuery q = periodQuery(c, Measures.VISIT.name(), valueColumn, r.period()).segment(r.segment());
        return r.participant() == null ? q : q.participant(r.participant());
    }

    private ContributionQuery engagementQuery(JourneyContext c, String measure, Period p, String participant) {
        return periodQuery(c, measure, "count", p).participant(participant);
    }

    private void byBand(ReleasePlan plan, JourneyContext c, String kind, String measure, Period p, String participant,
                        List<String> bands, String figure) {
        plan.counts(JourneyQuestions.of(kind, p, SegmentFilter.everyone(), participant).param("breakdown", "ageBand").build(),
                data.cells(engagementQuery(c, measure, p, participant).groupBy("ageBand"), bands, true),
                "baseline", null, figure);
    }

    /** One matrix release over the given ordered pairs; each row names its source and target. */
    private void matrix(ReleasePlan plan, String table, String figure, List<String[]> pairs, ContributionQuery q,
                        Question question, long clamp) {
        List<String> labels = pairs.stream().map(x -> JourneyData.pair(x[0], x[1])).toList();
        plan.table(table, labels);
        for (String[] x : pairs) {
            plan.describe(table, JourneyData.pair(x[0], x[1]), "source", x[0]);
            plan.describe(table, JourneyData.pair(x[0], x[1]), "target", x[1]);
        }
        plan.sums(question, JourneyData.cells(data.grouped(q, labels.size()), k -> JourneyData.pair(k.get(0), k.get(1)),
                labels, false), clamp, table, null, figure);
    }

    /**
     * The ordered pairs (A, B), A ≠ B, of the nodes in list order; with a focus only those with it as A (and, for
     * flows, also as B).
     */
    static List<String[]> pairs(List<String> nodes, String focus, boolean bothDirections) {
        List<String[]> out = new ArrayList<>();
        for (String a : nodes) {
            for (String b : nodes) {
                if (a.equals(b)) continue;
                if (focus == null || a.equals(focus) || (bothDirections && b.equals(focus))) out.add(new String[] {a, b});
            }
        }
        return out;
    }

    private static String slot(String weekday, String hour) {
        try {
            return String.format("%d-%02d", Integer.parseInt(weekday), Integer.parseInt(hour));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static InsightAnswer answer(String kind, JourneyContext c, ReleasePlan plan, List<Release> releases,
                                        List<String> notes) {
        return new InsightAnswer(kind, c.version(), plan.tables(Map.of()), plan.canonicalQuestions(), releases, notes);
    }
}
