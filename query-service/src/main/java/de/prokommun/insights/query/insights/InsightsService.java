package de.prokommun.insights.query.insights;

import de.prokommun.insights.contract.Measures.Names;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.query.audience.AskerScope;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceQuery;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.CityNotConfiguredException;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.DataVersion;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.SellerConfidentiality;
import de.prokommun.insights.query.audience.TrueCountSource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Answers the questions about purchase behaviour: computes the true figures (sums over the contribution
 * deltas, counts over the current profiles) and hands them to {@link DisclosureControl} at once. Only
 * {@link InsightAnswer}s leave this class. Distinct buyers are counts (sensitivity 1 per person and period);
 * purchases and spend are released only from the per-person clamped measures, with the clamp times the months
 * a cell spans as the person's largest possible contribution. Figures derived from several releases (lift,
 * shares) are computed from the released values, never from true ones.
 */
public final class InsightsService {

    /** "Still active": a live purchase within this many days before today. */
    public static final int STILL_ACTIVE_DAYS = 90;
    static final String OTHER_LABEL = "other";
    private static final int MAX_UNKNOWN_GROUPS = 1000;
    private static final int MAX_PRODUCT_GROUPS = 10_000;

    private final CityCatalog cities;
    private final TrueCountSource profiles;
    private final ContributionSource contributions;
    private final DisclosureControl disclosure;
    private final PrivacyPolicy policy;
    private final Function<String, SumClamps> clamps;
    private final DataVersion dataVersion;
    private final String profilesTable;
    private final String contributionsTable;
    private final int maxValuesPerDimension;
    private final PublishedInsights published;
    private final SellerConfidentiality sellers;

    public InsightsService(CityCatalog cities, TrueCountSource profiles, ContributionSource contributions,
                           DisclosureControl disclosure, PrivacyPolicy policy, Function<String, SumClamps> clamps,
                           DataVersion dataVersion, String profilesTable, String contributionsTable,
                           int maxValuesPerDimension) {
        this(cities, profiles, contributions, disclosure, policy, clamps, dataVersion, profilesTable, contributionsTable,
                maxValuesPerDimension, PublishedInsights.NONE);
    }

    /** With published statistics: every question they can answer is answered from them (free), the rest ad hoc. */
    public InsightsService(CityCatalog cities, TrueCountSource profiles, ContributionSource contributions,
                           DisclosureControl disclosure, PrivacyPolicy policy, Function<String, SumClamps> clamps,
                           DataVersion dataVersion, String profilesTable, String contributionsTable,
                           int maxValuesPerDimension, PublishedInsights published) {
        this(cities, profiles, contributions, disclosure, policy, clamps, dataVersion, profilesTable, contributionsTable,
                maxValuesPerDimension, published, SellerConfidentiality.NONE);
    }

    /**
     * As above; every ad-hoc answer about a category is first weighed by {@code sellers} (business confidentiality:
     * a category-period dominated by one seller is refused with 403 to its competitors).
     */
    public InsightsService(CityCatalog cities, TrueCountSource profiles, ContributionSource contributions,
                           DisclosureControl disclosure, PrivacyPolicy policy, Function<String, SumClamps> clamps,
                           DataVersion dataVersion, String profilesTable, String contributionsTable,
                           int maxValuesPerDimension, PublishedInsights published, SellerConfidentiality sellers) {
        this.published = published;
        this.sellers = sellers;
        this.cities = cities;
        this.profiles = profiles;
        this.contributions = contributions;
        this.disclosure = disclosure;
        this.policy = policy;
        this.clamps = clamps;
        this.dataVersion = dataVersion;
        this.profilesTable = profilesTable;
        this.contributionsTable = contributionsTable;
        this.maxValuesPerDimension = maxValuesPerDimension;
    }

    // ---- parsing --------------------------------------------------------------------------------------------

    public InsightsRequests.Affinity parseAffinity(Asker asker, String body) {
        return parser(asker).affinity(body);
    }

    public InsightsRequests.History parseHistory(Asker asker, String body) {
        return parser(asker).history(body);
    }

    /** A participant compares its own customers; naming another participant is 403. */
    public InsightsRequests.Assortment parseAssortment(Asker asker, String body) {
        InsightsRequests.Assortment r = parser(asker).assortment(body);
        AskerScope.checkCustomerOf(asker, r.customerOf(), "customerOf");
        if (r.customerOf() == null && asker.role() == AskerRole.PARTICIPANT) {
            return new InsightsRequests.Assortment(r.category(), r.years(), asker.id(), r.personas());
        }
        return r;
    }

    /**
     * A participant asks about its own customers (naming another is 403); the operator names the participant.
     */
    public InsightsRequests.Customers parseCustomers(Asker asker, String body) {
        InsightsRequests.Customers r = parser(asker).customers(body);
        AskerScope.checkCustomerOf(asker, r.participant(), "participant");
        if (r.participant() != null) return r;
        if (asker.role() != AskerRole.PARTICIPANT) {
            throw new de.prokommun.insights.query.audience.InvalidRequestException("participant",
                    "is required for the operator: whose customers");
        }
        return new InsightsRequests.Customers(asker.id(), r.segmentBy());
    }

    public InsightsRequests.Trend parseTrend(Asker asker, String body) {
        return parser(asker).trend(body);
    }

    private InsightsRequestParser parser(Asker asker) {
        return new InsightsRequestParser(vocabulary(asker), maxValuesPerDimension);
    }

    private CityVocabulary vocabulary(Asker asker) {
        return cities.city(asker.city()).orElseThrow(() -> new CityNotConfiguredException(asker.city()));
    }

    // ---- answers --------------------------------------------------------------------------------------------

    /** Throws {@link de.prokommun.insights.privacy.BudgetExhaustedException} when the budget cannot pay. */
    public InsightAnswer affinity(Asker asker, InsightsRequests.Affinity r) {
        Optional<InsightAnswer> fromPublication = published.affinity(asker, vocabulary(asker), r,
                () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        sellers.check(asker, "category", List.of(r.category()), r.granularity() == Granularity.YEAR, List.of(r.period()));
        Context c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        String period = r.granularity().label(r.period());
        List<String> cells = segmentLabels(c.city, r.segmentBy(), r.personas());
        // each segment row is a cell of its own: one seller may dominate it while the whole category is balanced
        sellers.checkCells(asker, "segmentBy", List.of(r.category()), false, r.granularity() == Granularity.YEAR,
                List.of(r.period()), SegmentFilter.everyone(), r.segmentBy().column(), weighed(r.segmentBy(), cells));
        plan.table("segments", cells);
        plan.table("city", List.of("all"));
        SumClamps clamp = clamps.apply(asker.city());
        int months = r.granularity().months();
        Figure buyers = new Figure(InsightQuestions.BUYERS, r.granularity().buyerMeasure(), 0);
        Figure purchases = new Figure(InsightQuestions.PURCHASES, Names.PURCHASE_CLAMPED,
                clamp.purchasesPerPersonMonth() * months);
        Figure spend = new Figure(InsightQuestions.SPEND, Names.SPEND_CLAMPED, clamp.spendCentsPerPersonMonth() * months);

        contribution(plan, c, buyers, r.category(), r.granularity(), r.period(), period, SegmentFilter.everyone(),
                null, null, "city", "all", "buyers");
        population(plan, c, AudienceFilter.everyone(), r.segmentBy(), r.personas(), "segments", "city", "all", "population");
        contribution(plan, c, buyers, r.category(), r.granularity(), r.period(), period, SegmentFilter.everyone(),
                r.segmentBy(), r.personas(), "segments", null, "buyers");
        contribution(plan, c, purchases, r.category(), r.granularity(), r.period(), period, SegmentFilter.everyone(),
                r.segmentBy(), r.personas(), "segments", null, "purchases");
        contribution(plan, c, spend, r.category(), r.granularity(), r.period(), period, SegmentFilter.everyone(),
                r.segmentBy(), r.personas(), "segments", null, "spendCents");
        affordable(plan, asker, "segmentBy", r.segmentBy() == Breakdown.PERSONA
                ? "ask for fewer personas ('personas') or segment by a disjoint dimension" : "ask again tomorrow");

        List<Release> releases = plan.release(disclosure, asker, c.version);
        for (String row : plan.rows("segments")) {
            plan.derive("segments", row, "lift", Derived.lift(plan.cell("segments", row, "buyers"),
                    plan.cell("segments", row, "population"), plan.cell("city", "all", "buyers"),
                    plan.cell("city", "all", "population")));
        }
        return new InsightAnswer("insights.affinity", c.version, plan.tables(Map.of()), plan.canonicalQuestions(),
                releases, List.of(
                        "buyers: distinct residents who bought " + r.category() + " in " + period
                                + ", counted in the segment they had when their first purchase of the period was recorded",
                        "population: residents profiled now (audience.size), per segment",
                        "purchases and spendCents are sums of per-person clamped values (at most "
                                + clamp.purchasesPerPersonMonth() + " purchases and " + clamp.spendCentsPerPersonMonth()
                                + " cents per person and month), not raw totals",
                        "lift = (segment buyers / segment population) / (all buyers / population), computed from the"
                                + " released (noisy) figures, never from true ones; null when an input is suppressed or zero"));
    }

    public InsightAnswer history(Asker asker, InsightsRequests.History r) {
        Optional<InsightAnswer> fromPublication = published.history(asker, vocabulary(asker), r,
                () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        List<Integer> periods = r.granularity().periods(r.from(), r.to());
        sellers.check(asker, "category", List.of(r.category()), r.granularity() == Granularity.YEAR, periods);
        if (r.segmentBy() != null) { // the by-segment rows are cells of their own
            sellers.checkCells(asker, "segmentBy", List.of(r.category()), false, r.granularity() == Granularity.YEAR,
                    periods, SegmentFilter.everyone(), r.segmentBy().column(),
                    weighed(r.segmentBy(), segmentLabels(vocabulary(asker), r.segmentBy(), r.personas())));
        }
        if (r.granularity() == Granularity.MONTH) {
            // stillActive counts the buyers of each year the months fall in
            sellers.check(asker, "category", List.of(r.category()), true,
                    periods.stream().map(p -> p / 100).distinct().toList());
        }
        Context c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        Figure buyers = new Figure(InsightQuestions.BUYERS, r.granularity().buyerMeasure(), 0);
        plan.table("periods", periods.stream().map(r.granularity()::label).toList());
        for (int p : periods) {
            contribution(plan, c, buyers, r.category(), r.granularity(), p, r.granularity().label(p),
                    SegmentFilter.everyone(), null, null, "periods", r.granularity().label(p), "buyers");
        }
        if (r.segmentBy() != null) {
            plan.table("bySegment", periods.stream().map(r.granularity()::label).toList());
            for (int p : periods) {
                contribution(plan, c, buyers, r.category(), r.granularity(), p, r.granularity().label(p),
                        SegmentFilter.everyone(), r.segmentBy(), r.personas(), "bySegment", r.granularity().label(p), null);
            }
        }
        SortedSet<Integer> years = new TreeSet<>();
        periods.forEach(p -> years.add(r.granularity() == Granularity.YEAR ? p : p / 100));
        plan.table("stillActive", years.stream().map(String::valueOf).toList());
        for (int year : years) stillActive(plan, c, r.category(), year, "stillActive", "stillActive");
        affordable(plan, asker, r.segmentBy() != null ? "segmentBy" : "from",
                "ask for fewer periods, without segmentBy, or with fewer personas");

        List<Release> releases = plan.release(disclosure, asker, c.version);
        if (r.granularity() == Granularity.YEAR) {
            for (int year : years) {
                String y = String.valueOf(year);
                plan.derive("stillActive", y, "shareOfBuyers",
                        Derived.share(plan.cell("stillActive", y, "stillActive"), plan.cell("periods", y, "buyers")));
            }
        }
        return new InsightAnswer("insights.product-history", c.version, plan.tables(Map.of()),
                plan.canonicalQuestions(), releases, List.of(
                        "buyers: distinct residents who bought " + r.category() + " in the period (per month or per"
                                + " year; distinct buyers per quarter are not kept)",
                        "bySegment: the same per segment, in the segment a buyer had when the period's first purchase was recorded",
                        "stillActive: residents whose profile says they bought " + r.category() + " in that year and whose"
                                + " last purchase (any category) was at most " + STILL_ACTIVE_DAYS + " days before today",
                        "shareOfBuyers = stillActive / buyers of the year, from released figures"));
    }

    public InsightAnswer trend(Asker asker, InsightsRequests.Trend r) {
        sellers.check(asker, "category", List.of(r.category()), r.granularity() == Granularity.YEAR,
                r.granularity().periods(r.from(), r.to()));
        // the figures count the segment asked only: its sales are weighed on their own
        sellers.checkCells(asker, "segment", List.of(r.category()), false, r.granularity() == Granularity.YEAR,
                r.granularity().periods(r.from(), r.to()), r.segment(), null, null);
        Context c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        SumClamps clamp = clamps.apply(asker.city());
        int months = r.granularity().months();
        List<Figure> figures = List.of(new Figure(InsightQuestions.BUYERS, r.granularity().buyerMeasure(), 0),
                new Figure(InsightQuestions.PURCHASES, Names.PURCHASE_CLAMPED, clamp.purchasesPerPersonMonth() * months),
                new Figure(InsightQuestions.SPEND, Names.SPEND_CLAMPED, clamp.spendCentsPerPersonMonth() * months));
        List<String> names = List.of("buyers", "purchases", "spendCents");
        List<Integer> periods = r.granularity().periods(r.from(), r.to());
        plan.table("periods", periods.stream().map(r.granularity()::label).toList());
        for (int p : periods) {
            for (int i = 0; i < figures.size(); i++) {
                contribution(plan, c, figures.get(i), r.category(), r.granularity(), p, r.granularity().label(p),
                        r.segment(), null, null, "periods", r.granularity().label(p), names.get(i));
            }
        }
        affordable(plan, asker, "from", "ask for fewer periods (three questions per period)");
        List<Release> releases = plan.release(disclosure, asker, c.version);
        return new InsightAnswer("insights.trend", c.version, plan.tables(Map.of()), plan.canonicalQuestions(),
                releases, List.of(
                        "ad hoc: no publication holds purchases and spend per period (only buyers, without segment"
                                + " filters), so the trend is released for this question and paid from the ad-hoc share;"
                                + " the product history reads the published buyers",
                        "buyers: distinct buyers of " + r.category() + " per period within the segment",
                        "purchases and spendCents are sums of per-person clamped values (at most "
                                + clamp.purchasesPerPersonMonth() + " purchases and " + clamp.spendCentsPerPersonMonth()
                                + " cents per person and month)",
                        "the segment is the one a person had when the contribution was recorded"));
    }

    /**
     * A participant's own customers of the last complete month by segment: from the publication when it holds
     * them (free), otherwise ad hoc (the same figure released for this question, paid from the ad-hoc share).
     */
    public InsightAnswer customers(Asker asker, InsightsRequests.Customers r) {
        AskerScope.checkCustomerOf(asker, r.participant(), "participant");
        Optional<InsightAnswer> fromPublication = published.customers(asker, vocabulary(asker), r,
                () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        Context c = context(asker);
        java.time.YearMonth month = java.time.YearMonth.from(c.today).minusMonths(1);
        int period = month.getYear() * 100 + month.getMonthValue();
        String label = Granularity.MONTH.label(period);
        ReleasePlan plan = new ReleasePlan();
        ContributionQuery q = ContributionQuery.of(contributionsTable, c.city.city(), Names.CUSTOMER_MONTH)
                .participant(r.participant()).periods(Granularity.MONTH, List.of(period));
        long total = contributions.sums(q.sql(1), 0).values().stream().mapToLong(Long::longValue).sum();
        plan.table("total", List.of(label));
        plan.counts(InsightQuestions.customers(r.participant(), label, null, null), List.of(new TrueCell("", total)),
                "total", label, "customers");
        List<String> labels = c.city.labels(r.segmentBy());
        Map<String, Long> perValue = new TreeMap<>();
        contributions.sums(q.groupBy(r.segmentBy().column()).sql(labels.size() + MAX_UNKNOWN_GROUPS), 1)
                .forEach((k, v) -> perValue.merge(String.valueOf(k.get(0)), v, Long::sum));
        List<TrueCell> cells = cells(labels, r.segmentBy().hasOpenDomain(), perValue);
        plan.table("segments", cells.stream().map(TrueCell::label).toList());
        if (r.segmentBy().cellsDisjoint()) {
            plan.counts(InsightQuestions.customers(r.participant(), label, r.segmentBy(), null), cells, "segments", null,
                    "customers");
        } else {
            for (TrueCell cell : cells) {
                plan.counts(InsightQuestions.customers(r.participant(), label, r.segmentBy(), cell.label()), List.of(cell),
                        "segments", null, "customers");
            }
        }
        affordable(plan, asker, "segmentBy", "segment by a disjoint dimension or ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version);
        for (String row : plan.rows("segments")) {
            plan.derive("segments", row, "share", Derived.share(plan.cell("segments", row, "customers"),
                    plan.cell("total", label, "customers")));
        }
        return new InsightAnswer("insights.customers", c.version, plan.tables(Map.of()), plan.canonicalQuestions(),
                releases, List.of(
                        "ad hoc: no publication holds these customers yet; released for this question and paid from"
                                + " the ad-hoc share",
                        "customers: distinct residents who bought at " + r.participant() + " in " + label
                                + " (the last complete month), in the segment they had at their first purchase of the month",
                        "share = customers of the segment / all customers of the month, from released figures"));
    }

    /**
     * A campaign's results for its participant (docs/CAMPAIGNS.md): the contribution rows of the campaign job
     * (participant = the campaign's participant, counterpart = campaign id), one released count per figure. Each
     * figure counts a resident at most once (assignment, delivery, first opening, first redemption, conversion),
     * and one resident appears in several figures, so every figure is its own question. The caller has checked that
     * the campaign is the asker's. Rates and the uplift are computed from the released figures only.
     */
    public InsightAnswer campaignResults(Asker asker, String campaignId) {
        Context c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        plan.table("results", List.of(campaignId));
        for (CampaignFigures.Part part : CampaignFigures.PARTS) {
            List<TrueCell> cells = new ArrayList<>();
            for (CampaignFigures.Figure f : part.figures()) {
                ContributionQuery q = ContributionQuery.sumOf(contributionsTable, c.city.city(), f.measure(), "count")
                        .participant(asker.id()).in("counterpart", List.of(campaignId));
                if (f.group() != null) q.category(f.group());
                cells.add(new TrueCell(f.name(), contributions.sums(q.sql(1), 0).values().stream()
                        .mapToLong(Long::longValue).sum()));
            }
            plan.counts(CampaignFigures.question(campaignId, part.name()), cells, "results", campaignId, null);
        }
        affordable(plan, asker, "campaign", "ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version);
        plan.derive("results", campaignId, "openRate", Derived.share(plan.cell("results", campaignId,
                CampaignFigures.OPENED), plan.cell("results", campaignId, CampaignFigures.DELIVERED)));
        deriveCampaignRates(plan, "results", campaignId);
        return new InsightAnswer("campaign.results", c.version, plan.tables(Map.of()), plan.canonicalQuestions(),
                releases, List.of(
                        "Ergebnisse der Kampagne, datenschutzgeschützt veröffentlicht (jede Zahl verrauscht); Raten und"
                                + " Uplift aus den veröffentlichten Zahlen / results of the campaign, each figure released"
                                + " through the privacy layer; rates and uplift computed from the released figures",
                        "uplift = conversion of the contacted residents − conversion of the control group (matching"
                                + " residents held out at random, never contacted)"));
    }

    /**
     * A campaign's results broken down by one disjoint segment dimension (age band, gender, district, household
     * type) of the rows: the campaign job writes every row of a resident with the segment the resident had at
     * assignment, so each resident is in one segment per campaign and a part's cells (its figures × the segments,
     * the city's whole vocabulary, empty segments included, values outside it pooled in "other") are disjoint —
     * one question per part, as without the breakdown. Rates and the uplift per segment from released figures only.
     */
    public InsightAnswer campaignResultsBySegment(Asker asker, String campaignId, Breakdown by) {
        if (!by.cellsDisjoint()) throw new IllegalArgumentException("a campaign's segments must be disjoint");
        Context c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        List<String> segments = new ArrayList<>(c.city.labels(by));
        if (by.hasOpenDomain()) segments.add(OTHER_LABEL);
        plan.table("segments", segments);
        for (CampaignFigures.Part part : CampaignFigures.PARTS) {
            List<TrueCell> cells = new ArrayList<>();
            List<ReleasePlan.Place> places = new ArrayList<>();
            for (CampaignFigures.Figure f : part.figures()) {
                ContributionQuery q = ContributionQuery.sumOf(contributionsTable, c.city.city(), f.measure(), "count")
                        .participant(asker.id()).in("counterpart", List.of(campaignId)).groupBy(by.column());
                if (f.group() != null) q.category(f.group());
                Map<String, Long> perValue = new TreeMap<>();
                contributions.sums(q.sql(segments.size() + MAX_UNKNOWN_GROUPS), 1)
                        .forEach((k, v) -> perValue.merge(String.valueOf(k.get(0)), v, Long::sum));
                for (TrueCell cell : cells(c.city.labels(by), by.hasOpenDomain(), perValue)) {
                    cells.add(new TrueCell(CampaignFigures.cellLabel(f.name(), cell.label()), cell.count()));
                    places.add(new ReleasePlan.Place(cell.label(), f.name()));
                }
            }
            plan.counts(CampaignFigures.question(campaignId, part.name(), by.apiName()), cells, "segments", places);
        }
        affordable(plan, asker, "by", "ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version);
        for (String segment : segments) deriveCampaignRates(plan, "segments", segment);
        return new InsightAnswer("campaign.results", c.version, plan.tables(Map.of()), plan.canonicalQuestions(),
                releases, List.of(
                        "Ergebnisse je Segment (" + by.apiName() + ": das Segment der Person bei der Zuordnung),"
                                + " jede Zahl verrauscht, kleine Zellen unterdrückt / results per segment (the resident's"
                                + " segment at assignment), each figure released through the privacy layer",
                        "uplift per segment = conversion of the contacted residents − conversion of the control group"
                                + " of the segment, from released figures"));
    }

    /** Redemption and conversion rates and the uplift of one row of campaign figures, from its released cells only. */
    private static void deriveCampaignRates(ReleasePlan plan, String table, String row) {
        Double treatmentRate = Derived.share(plan.cell(table, row, CampaignFigures.CONVERTED_TREATMENT),
                plan.cell(table, row, CampaignFigures.TREATMENT));
        Double controlRate = Derived.share(plan.cell(table, row, CampaignFigures.CONVERTED_CONTROL),
                plan.cell(table, row, CampaignFigures.CONTROL));
        plan.derive(table, row, "redemptionRate", Derived.share(plan.cell(table, row, CampaignFigures.REDEEMED),
                plan.cell(table, row, CampaignFigures.DELIVERED)));
        plan.derive(table, row, "conversionTreatment", treatmentRate);
        plan.derive(table, row, "conversionControl", controlRate);
        plan.derive(table, row, "uplift", Derived.uplift(treatmentRate, controlRate));
    }

    /**
     * The weekly frequency cap's effect for the operator (docs/CAMPAIGNS.md): per campaign, the residents whose offer
     * the cap held back at least once ({@code campaign_held_weekly_cap} rows, one per resident and campaign). A
     * resident may be held in several campaigns, so each campaign is its own question (sensitivity 1); the city's
     * total is the sum of the released, unsuppressed figures. The caller has checked the operator role and chosen the
     * campaigns (those not ended).
     */
    public InsightAnswer weeklyCapEffect(Asker asker, List<String> campaignIds) {
        Context c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        plan.table("campaigns", campaignIds);
        List<String> notes = List.of(
                "je laufender oder pausierter Kampagne: Einwohner, denen das Wochenlimit das Angebot mindestens einmal"
                        + " zurückgehalten hat (verrauscht; die Summe aus den veröffentlichten Zahlen) / per running or"
                        + " paused campaign: residents whose offer the weekly cap held back at least once (each figure"
                        + " released through the privacy layer; the total is the sum of the released figures)");
        if (campaignIds.isEmpty()) {
            plan.table("total", List.of(c.city.city()));
            plan.derive("total", c.city.city(), CampaignFigures.HELD, 0.0);
            return new InsightAnswer(CampaignFigures.HELD_KIND, c.version, plan.tables(Map.of()), List.of(), List.of(),
                    notes);
        }
        ContributionQuery q = ContributionQuery.sumOf(contributionsTable, c.city.city(),
                de.prokommun.insights.contract.Measures.Names.CAMPAIGN_HELD_WEEKLY_CAP, "count")
                .in("counterpart", campaignIds).groupBy("counterpart");
        Map<List<String>, Long> held = contributions.sums(q.sql(campaignIds.size()), 1);
        for (String id : campaignIds) {
            plan.counts(CampaignFigures.heldQuestion(id), List.of(new TrueCell(CampaignFigures.HELD,
                    held.getOrDefault(List.of(id), 0L))), "campaigns", id, null);
        }
        affordable(plan, asker, "campaigns", "ask again tomorrow");
        List<Release> releases = plan.release(disclosure, asker, c.version);
        long total = 0;
        for (String id : campaignIds) {
            ReleasedCell cell = plan.cell("campaigns", id, CampaignFigures.HELD);
            if (!cell.suppressed() && cell.value() != null) total += cell.value();
        }
        plan.table("total", List.of(c.city.city()));
        plan.derive("total", c.city.city(), CampaignFigures.HELD, (double) total);
        return new InsightAnswer(CampaignFigures.HELD_KIND, c.version, plan.tables(Map.of()), plan.canonicalQuestions(),
                releases, notes);
    }

    public InsightAnswer assortment(Asker asker, InsightsRequests.Assortment r) {
        Optional<InsightAnswer> fromPublication = published.assortment(asker, vocabulary(asker), r,
                () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        Context c = context(asker);
        ReleasePlan plan = new ReleasePlan();
        SumClamps clamp = clamps.apply(asker.city());
        int toYear = c.today.getYear();
        int fromYear = toYear - r.years() + 1;
        int personaYear = toYear - 1;
        List<Integer> asked = new ArrayList<>();
        for (int y = Math.min(fromYear, personaYear); y <= toYear; y++) asked.add(y);
        sellers.check(asker, "category", List.of(r.category()), true, asked);
        List<String> years = new ArrayList<>();
        for (int y = fromYear; y <= toYear; y++) years.add(String.valueOf(y));
        SortedSet<String> personas = r.personas().isEmpty() ? new TreeSet<>(c.city.personas()) : r.personas();
        List<String> personaRows = c.city.personas().stream().filter(personas::contains).toList();

        plan.table("interested", years);
        for (int y = fromYear; y <= toYear; y++) stillActive(plan, c, r.category(), y, "interested", "stillActive");

        plan.table("trend", years);
        Figure buyers = new Figure(InsightQuestions.BUYERS, Names.BUYER_YEAR, 0);
        for (int y = fromYear; y <= toYear; y++) {
            contribution(plan, c, buyers, r.category(), Granularity.YEAR, y, String.valueOf(y), SegmentFilter.everyone(),
                    null, null, "trend", String.valueOf(y), "buyers");
        }

        seasonality(plan, c, r.category(), fromYear, toYear, clamp);

        plan.table("personas", personaRows);
        plan.table("city", List.of("all"));
        contribution(plan, c, buyers, r.category(), Granularity.YEAR, personaYear, String.valueOf(personaYear),
                SegmentFilter.everyone(), null, null, "city", "all", "buyers");
        contribution(plan, c, buyers, r.category(), Granularity.YEAR, personaYear, String.valueOf(personaYear),
                SegmentFilter.everyone(), Breakdown.PERSONA, personas, "personas", null, "buyers");
        population(plan, c, AudienceFilter.everyone(), Breakdown.PERSONA, personas, "personas", "city", "all", "population");

        if (r.customerOf() != null) {
            plan.table("customers", personaRows);
            population(plan, c, AudienceFilter.everyone().withCustomerOf(r.customerOf()), Breakdown.PERSONA, personas,
                    "customers", "city", "all", "customers");
        }
        affordable(plan, asker, r.personas().isEmpty() ? "personas" : "years",
                "name fewer personas ('personas') or fewer years ('years')");

        List<Release> releases = plan.release(disclosure, asker, c.version);
        ReleasedCell allBuyers = plan.cell("city", "all", "buyers");
        ReleasedCell population = plan.cell("city", "all", "population");
        for (String p : personaRows) {
            plan.derive("personas", p, "lift", Derived.lift(plan.cell("personas", p, "buyers"),
                    plan.cell("personas", p, "population"), allBuyers, population));
            if (r.customerOf() != null) {
                Double mine = Derived.share(plan.cell("customers", p, "customers"), plan.cell("city", "all", "customers"));
                Double city = Derived.share(plan.cell("personas", p, "population"), population);
                plan.derive("customers", p, "share", mine);
                plan.derive("customers", p, "cityShare", city);
                plan.derive("customers", p, "index", Derived.index(mine, city));
            }
        }
        Comparator<InsightAnswer.Row> byLift = Comparator.comparing((InsightAnswer.Row row) -> row.derived().get("lift"),
                Comparator.nullsLast(Comparator.reverseOrder()));
        List<String> notes = new ArrayList<>(List.of(
                "interested: residents who bought " + r.category() + " in that year and bought anything within the last "
                        + STILL_ACTIVE_DAYS + " days (expected interested residents)",
                "trend: distinct buyers per year",
                "seasonality: purchases per calendar month over " + fromYear + "-" + toYear + ", sums of per-person"
                        + " clamped values (at most " + clamp.purchasesPerPersonMonth() + " per person and month),"
                        + " released as one question whose noise covers a person's whole contribution to all twelve months",
                "personas: buyers in " + personaYear + " per persona and lift against the city, sorted by lift;"
                        + " lift and shares are computed from released (noisy) figures, never from true ones"));
        if (r.customerOf() != null) {
            notes.add("customers: residents who bought at " + r.customerOf() + " (customer tag) per persona;"
                    + " share = customers with the persona / all customers, cityShare = residents with the persona /"
                    + " all residents, index = share / cityShare");
        }
        return new InsightAnswer("insights.assortment-check", c.version, plan.tables(Map.of("personas", byLift)),
                plan.canonicalQuestions(), releases, notes);
    }

    /**
     * The caller's own product groups without a mapping and their line counts, from every purchase it submitted —
     * not only those of profiled residents, so the report cannot tell a consenting resident from another (issue 15,
     * docs/PRIVACY.md "Participants as adversaries"). Only a participant has product groups; the counts still pass
     * the disclosure control and cells released below the minimum size are left out.
     */
    public InsightAnswer unmappedProductGroups(Asker asker) {
        Context c = context(asker);
        if (asker.role() != AskerRole.PARTICIPANT) {
            throw new ForbiddenFieldException("role", "only a participant has its own product groups");
        }
        ContributionQuery q = ContributionQuery.of(contributionsTable, asker.city(), Names.SUBMITTED_UNMAPPED_LINE)
                .participant(asker.id()).groupBy("category");
        Map<String, Long> lines = new TreeMap<>();
        contributions.sums(q.sql(MAX_PRODUCT_GROUPS), 1).forEach((k, v) -> {
            if (v != 0 && k.get(0) != null) lines.merge(k.get(0), v, Long::sum);
        });
        ReleasePlan plan = new ReleasePlan();
        List<TrueCell> cells = new ArrayList<>();
        lines.forEach((group, n) -> cells.add(new TrueCell(group, n)));
        List<Release> releases = List.of();
        if (!cells.isEmpty()) {
            plan.counts(InsightQuestions.unmapped(asker.id()), cells, "productGroups", null, "lines");
            affordable(plan, asker, "participant", "ask again tomorrow");
            releases = plan.release(disclosure, asker, c.version);
        }
        List<InsightAnswer.Row> shown = new ArrayList<>();
        for (InsightAnswer.Table t : plan.tables(Map.of())) {
            t.rows().stream().filter(row -> !row.figures().get("lines").suppressed()).forEach(shown::add);
        }
        return new InsightAnswer("product-groups.unmapped", c.version, List.of(new InsightAnswer.Table("productGroups", shown)),
                plan.canonicalQuestions(), releases, List.of(
                        "your own product groups that your submitted purchases named but no mapping covered, with their"
                                + " receipt lines from every purchase you submitted, whoever the buyer (released with noise;"
                                + " groups below the minimum cell size are not listed)",
                        "map them with PUT /api/v1/participants/{id}/product-groups of the ingestion API"));
    }

    // ---- building blocks ------------------------------------------------------------------------------------

    private record Context(CityVocabulary city, String version, LocalDate today) {
        int todayEpochDay() {
            return (int) today.toEpochDay();
        }
    }

    /** One kind of figure: its question kind, the measure it sums and (for sums) the per-person clamp of a cell. */
    private record Figure(String kind, String measure, long clampPerPerson) {}

    private Context context(Asker asker) {
        CityVocabulary city = vocabulary(asker);
        return new Context(city, dataVersion.current(city.timeZone()), LocalDate.ofEpochDay(dataVersion.today(city.timeZone())));
    }

    /**
     * One figure of one period: a single cell (no breakdown) or one cell per segment. Disjoint segments are one
     * question; persona cells (a person may have several) are a question each.
     */
    private void contribution(ReleasePlan plan, Context c, Figure figure, String category, Granularity granularity,
                              int period, String periodLabel, SegmentFilter segment, Breakdown breakdown,
                              SortedSet<String> personaCells, String table, String row, String name) {
        ContributionQuery q = ContributionQuery.of(contributionsTable, c.city.city(), figure.measure())
                .category(category).periods(granularity, List.of(period)).segment(segment);
        if (breakdown == null) {
            long total = contributions.sums(q.sql(1), 0).values().stream().mapToLong(Long::longValue).sum();
            add(plan, figure, InsightQuestions.figure(figure.kind(), category, periodLabel, segment, null, null),
                    List.of(new TrueCell("", total)), table, row, name);
            return;
        }
        List<String> labels = c.city.labels(breakdown);
        Map<String, Long> perValue = new TreeMap<>();
        contributions.sums(q.groupBy(breakdown.column()).sql(labels.size() + MAX_UNKNOWN_GROUPS), 1)
                .forEach((k, v) -> perValue.merge(String.valueOf(k.get(0)), v, Long::sum));
        List<TrueCell> cells = cells(labels, breakdown.hasOpenDomain(), perValue);
        if (breakdown.cellsDisjoint()) {
            add(plan, figure, InsightQuestions.figure(figure.kind(), category, periodLabel, segment, breakdown, null),
                    cells, table, row, name);
            return;
        }
        for (TrueCell cell : cells) {
            if (!personaCells.isEmpty() && !personaCells.contains(cell.label())) continue;
            add(plan, figure, InsightQuestions.figure(figure.kind(), category, periodLabel, segment, breakdown,
                    cell.label()), List.of(cell), table, row, name);
        }
    }

    private static void add(ReleasePlan plan, Figure figure, de.prokommun.insights.privacy.Question question,
                            List<TrueCell> cells, String table, String row, String name) {
        if (figure.clampPerPerson() == 0) plan.counts(question, cells, table, row, name);
        else plan.sums(question, cells, figure.clampPerPerson(), table, row, name);
    }

    /**
     * Residents now (profiles), in total and per segment: exactly the audience.size questions, so these figures
     * equal (and share budget and answers with) the audience endpoint's.
     */
    private void population(ReleasePlan plan, Context c, AudienceFilter filter, Breakdown breakdown,
                            SortedSet<String> personaCells, String table, String totalTable, String totalRow, String name) {
        AudienceQuery plain = new AudienceQuery(profilesTable, c.city.city(), filter, Optional.empty(),
                c.city.categories(), c.todayEpochDay());
        plan.counts(plain.question(), List.of(new TrueCell("", profiles.count(plain.countSql()))), totalTable, totalRow, name);
        AudienceQuery grouped = new AudienceQuery(profilesTable, c.city.city(), filter, Optional.of(breakdown),
                c.city.categories(), c.todayEpochDay());
        List<String> labels = c.city.labels(breakdown);
        List<TrueCell> cells = cells(labels, breakdown.hasOpenDomain(),
                profiles.countsPerValue(grouped.breakdownSql(labels.size() + MAX_UNKNOWN_GROUPS)));
        if (breakdown.cellsDisjoint()) {
            plan.counts(grouped.question(), cells, table, null, name);
            return;
        }
        for (TrueCell cell : cells) {
            if (!personaCells.isEmpty() && !personaCells.contains(cell.label())) continue;
            plan.counts(grouped.cellQuestion(cell.label()), List.of(cell), table, null, name);
        }
    }

    /** Buyers of the category in the year whose last purchase is recent: the audience question of that filter. */
    private void stillActive(ReleasePlan plan, Context c, String category, int year, String table, String name) {
        AudienceFilter filter = AudienceFilter.everyone()
                .withBoughtCategory(new AudienceFilter.BoughtCategory(category, year))
                .withActiveWithinDays(STILL_ACTIVE_DAYS);
        AudienceQuery q = new AudienceQuery(profilesTable, c.city.city(), filter, Optional.empty(), c.city.categories(),
                c.todayEpochDay());
        plan.counts(q.question(), List.of(new TrueCell("", profiles.count(q.countSql()))), table, String.valueOf(year), name);
    }

    /**
     * Purchases per calendar month over the years: one question whose cells are the twelve months. A person adds
     * at most the monthly clamp to each month of each year, so the clamp of the whole release is that times
     * 12 × years (the noise covers the person's whole contribution).
     */
    private void seasonality(ReleasePlan plan, Context c, String category, int fromYear, int toYear, SumClamps clamp) {
        List<Integer> years = Granularity.YEAR.periods(fromYear, toYear);
        ContributionQuery q = ContributionQuery.of(contributionsTable, c.city.city(), Names.PURCHASE_CLAMPED)
                .category(category).periods(Granularity.YEAR, years).groupBy("month");
        long[] perMonth = new long[12];
        contributions.sums(q.sql(12 * years.size() + MAX_UNKNOWN_GROUPS), 1).forEach((k, v) -> {
            int month = Integer.parseInt(k.get(0)) % 100;
            if (month < 1 || month > 12) throw new IllegalStateException("contribution row with month " + k.get(0));
            perMonth[month - 1] += v;
        });
        List<String> labels = new ArrayList<>();
        List<TrueCell> cells = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            labels.add(String.format("%02d", m));
            cells.add(new TrueCell(labels.get(m - 1), perMonth[m - 1]));
        }
        plan.table("seasonality", labels);
        plan.sums(InsightQuestions.seasonality(category, fromYear, toYear), cells,
                clamp.purchasesPerPersonMonth() * 12 * years.size(), "seasonality", null, "purchases");
    }

    /**
     * Every label of the dimension in vocabulary order, zeros included; values outside the vocabulary pooled in
     * "other" for open dimensions (as the audience breakdowns do).
     */
    static List<TrueCell> cells(List<String> labels, boolean openDomain, Map<String, Long> perValue) {
        List<TrueCell> cells = new ArrayList<>();
        long other = 0;
        for (Map.Entry<String, Long> e : perValue.entrySet()) {
            if (!labels.contains(e.getKey())) other += e.getValue();
        }
        for (String label : labels) cells.add(new TrueCell(label, perValue.getOrDefault(label, 0L)));
        if (openDomain) cells.add(new TrueCell(OTHER_LABEL, other));
        return cells;
    }

    /**
     * The breakdown values whose sales are weighed one by one: a persona breakdown limited to some personas only
     * those; otherwise every value (the values outside the city's labels are pooled in "other", and weighing each
     * of them on its own errs on the side of the seller).
     */
    private static List<String> weighed(Breakdown b, List<String> labels) {
        if (b != Breakdown.PERSONA) return null;
        List<String> personas = new ArrayList<>(labels);
        personas.remove(OTHER_LABEL);
        return personas;
    }

    private static List<String> segmentLabels(CityVocabulary city, Breakdown b, SortedSet<String> personaCells) {
        List<String> labels = new ArrayList<>(city.labels(b));
        if (b.hasOpenDomain()) labels.add(OTHER_LABEL);
        if (b == Breakdown.PERSONA && !personaCells.isEmpty()) labels.removeIf(l -> !personaCells.contains(l));
        return labels;
    }

    /** See {@link ReleasePlan#affordable}. */
    private void affordable(ReleasePlan plan, Asker asker, String field, String advice) {
        plan.affordable(policy, asker, field, advice);
    }
}
