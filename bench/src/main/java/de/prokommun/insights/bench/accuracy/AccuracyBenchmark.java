package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.audience.ProfilePopulation;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.bench.harness.Stats;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.publication.MeasurementPlan;
import de.prokommun.insights.query.publication.PurchaseDomain;
import de.prokommun.insights.query.publication.PurchaseFigureKey;
import de.prokommun.insights.query.publication.SegmentedFigure;
import java.time.YearMonth;
import de.prokommun.insights.simulator.Musterstadt;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accuracy at the city-wide cap (issue 13, item 5), in memory: a synthetic Musterstadt of 200,000 residents (the
 * simulator's population, profiled as bench/run audience writes it), a fixed seeded workload of audience questions,
 * the truth counted in memory, and every question answered
 * <ol>
 * <li>from one publication made by the service's own publication code at the configured cap and schedule, and</li>
 * <li>by today's per-question mechanism held to the same monthly total per resident: as configured (the account's
 *     part of the ad-hoc share), with the whole cap at the configured ε per question (how many questions the whole
 *     city gets), and with the whole cap spread over the workload.</li>
 * </ol>
 * Then the trade-off: cap ε × publications a month → p95 error per size class, as a table and an SVG plot. Each run
 * uses another noise key (an independent publication); figures are medians over the runs. Nothing is timed.
 */
public final class AccuracyBenchmark implements Benchmark {

    private static final String CITY = Musterstadt.CITY;
    private static final long SEED = 20261201L;
    /** Residents as they are on the day of the publication (a fixed date keeps the city reproducible). */
    private static final LocalDate CENSUS_DAY = LocalDate.of(2026, 12, 1);

    @Override public String name() { return "accuracy"; }

    @Override public String description() {
        return "error of published vs per-question answers at the city-wide cap, 200k residents in memory, and the "
                + "cap × publications/month trade-off, and category buyers by age band per year (--residents=200000 "
                + "--questions=1000 --epsilons=1,2,4,8 --per-month=1,2,4,8 --age-band-share=<service default> "
                + "--age-band-shares=0,0.5,0.6,0.7,0.75,0.8 --category-bounds=10,20; --buyers-only=true measures the "
                + "buyers' candidates alone and writes nothing to docs/BENCHMARKS.md)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int residents = ctx.intOption("residents", 200_000);
        int questions = ctx.intOption("questions", 1_000);
        List<Double> epsilons = doubles(ctx.option("epsilons", "1,2,4,8"));
        List<Integer> perMonths = doubles(ctx.option("per-month", "1,2,4,8")).stream().map(Double::intValue).toList();
        PrivacyPolicy policy = PrivacyPolicy.loadCities(ctx.citiesDir());
        CityBudgetPolicy cap = policy.city(CITY).cityBudget();
        int defaultPerMonth = QueryConfig.PUBLICATIONS_PER_MONTH.defaultValue();
        // The audience cube's part of the publication share as the service splits it by default: the journey figures
        // take theirs first, the purchase statistics theirs of the rest (docs/PRIVACY.md section 5).
        double serviceFraction = (QueryConfig.JOURNEY_PUBLICATION_ENABLED.defaultValue()
                ? 1 - QueryConfig.JOURNEY_PUBLICATION_SHARE.defaultValue() : 1)
                * (QueryConfig.PURCHASE_PUBLICATION_ENABLED.defaultValue()
                ? 1 - QueryConfig.PURCHASE_PUBLICATION_SHARE.defaultValue() : 1);
        double fraction = Double.parseDouble(ctx.option("audience-fraction", Double.toString(serviceFraction)));
        recorder.parameter("residents", residents);
        recorder.parameter("questions", questions);
        recorder.parameter("cap", "ε=" + cap.epsilon().toPlainString() + ", δ=" + cap.delta().toPlainString()
                + ", adHocShare=" + cap.adHocShare().toPlainString() + ", accounts=" + cap.accounts());
        recorder.parameter("publicationsPerMonth", defaultPerMonth);
        recorder.parameter("audienceFraction", fraction);

        Musterstadt city = Musterstadt.load(ctx.citiesDir().resolve(CITY));
        ProfileTable table = ProfileTable.of(CITY, new ProfilePopulation(city, CENSUS_DAY).rows(0, residents, SEED));
        CityVocabulary vocabulary = new CityCatalog(ctx.citiesDir()).city(CITY).orElseThrow();
        // Category buyers by age band per year: the service's purchase domain and share, synthetic buyers.
        PurchaseDomain purchaseDomain = PurchaseDomain.of(vocabulary,
                city.participants().businesses().stream().map(p -> p.id()).toList(), YearMonth.from(CENSUS_DAY),
                QueryConfig.PURCHASE_PUBLICATION_MONTHS.defaultValue(), QueryConfig.PURCHASE_PUBLICATION_YEARS.defaultValue());
        double purchaseFraction = (QueryConfig.JOURNEY_PUBLICATION_ENABLED.defaultValue()
                ? 1 - QueryConfig.JOURNEY_PUBLICATION_SHARE.defaultValue() : 1)
                * QueryConfig.PURCHASE_PUBLICATION_SHARE.defaultValue();
        double ageBandShare = Double.parseDouble(ctx.option("age-band-share",
                Double.toString(QueryConfig.PURCHASE_PUBLICATION_AGE_BAND_SHARE.defaultValue())));
        Map<PurchaseFigureKey, SegmentedFigure> buyerTruth = SyntheticBuyers.draw(table.profiles(), purchaseDomain, SEED)
                .yearFigures();
        long[] buyerSizes = BuyerAccuracy.sizes(buyerTruth);
        recorder.parameter("ageBandShare", ageBandShare);
        List<BuyerAccuracy.Result> buyerRuns = new ArrayList<>();
        List<BuyerAccuracy.Result> buyerRunsWithout = new ArrayList<>();
        // The candidates for the buyers' goal, measured on the same truth and keys (docs/BENCHMARKS.md).
        List<Double> candidateShares = doubles(ctx.option("age-band-shares", "0,0.5,0.6,0.7,0.75,0.8"));
        List<Integer> candidateBounds = doubles(ctx.option("category-bounds", "10,20")).stream().map(Double::intValue).toList();
        int fewerYears = QueryConfig.PURCHASE_PUBLICATION_YEARS.defaultValue() - 1;
        PurchaseDomain fewerYearsDomain = PurchaseDomain.of(vocabulary,
                city.participants().businesses().stream().map(p -> p.id()).toList(), YearMonth.from(CENSUS_DAY),
                QueryConfig.PURCHASE_PUBLICATION_MONTHS.defaultValue(), fewerYears);
        Map<PurchaseFigureKey, SegmentedFigure> fewerYearsTruth = new LinkedHashMap<>();
        buyerTruth.forEach((k, v) -> {
            if (fewerYearsDomain.years().contains(Integer.parseInt(k.period()))) fewerYearsTruth.put(k, v);
        });
        Map<Integer, SyntheticBuyers> bounded = new LinkedHashMap<>();
        for (int k : candidateBounds) bounded.put(k, SyntheticBuyers.draw(table.profiles(), purchaseDomain, SEED, k));
        Map<String, List<BuyerAccuracy.Result>> candidates = new LinkedHashMap<>();
        Map<String, String> candidateNotes = new LinkedHashMap<>();
        boolean buyersOnly = Boolean.parseBoolean(ctx.option("buyers-only", "false"));
        List<AudienceFilter> workload = AudienceWorkload.generate(vocabulary, questions, SEED);
        List<Long> truths = workload.stream().map(table::count).toList();
        Map<SizeClass, Integer> perClass = new EnumMap<>(SizeClass.class);
        truths.forEach(t -> SizeClass.of(t).ifPresent(c -> perClass.merge(c, 1, Integer::sum)));
        System.out.printf("[bench accuracy] %,d current profiles, %,d questions, per size class %s%n", table.size(),
                workload.size(), perClass);

        Map<String, List<Double>> gridValues = new LinkedHashMap<>();
        Map<String, Double> sigmas = new LinkedHashMap<>();
        List<List<AccuracyReport.Row>> comparisons = new ArrayList<>();
        List<AdHocRun.Result> adHocFirst = new ArrayList<>();
        for (int run = 0; run < ctx.runs(); run++) {
            byte[] key = key("accuracy-run-" + run);
            Map<String, Double> figures = new LinkedHashMap<>();
            Map<String, Object> details = new LinkedHashMap<>();
            List<AccuracyReport.Row> rows = new ArrayList<>();
            if (!buyersOnly) {

            PublishedRun.Result published = PublishedRun.publishAndAnswer(ctx.citiesDir(), ctx.workDir(), CITY, table,
                    cap.epsilon(), defaultPerMonth, fraction, key, workload);
            ErrorStats pub = stats(truths, published.answers());
            rows.addAll(rows("published (ε " + cap.epsilon().toPlainString() + ", " + defaultPerMonth + "/month, cube at "
                    + percent(fraction) + " of the publication share)", pub, perClass));
            for (SizeClass c : SizeClass.values()) {
                figures.put("accuracy." + c.id() + ".median_pct", pub.summary(c).medianPercent());
                figures.put("accuracy." + c.id() + ".p95_pct", pub.summary(c).p95Percent());
            }
            // Before/after in one run: the same cap and schedule with the previous measurement set (the hierarchy
            // district → age band → gender → household type), answered by the same estimator and rounding.
            PublishedRun.Result hierarchy = PublishedRun.publishAndAnswer(ctx.citiesDir(), ctx.workDir(), CITY, table,
                    cap.epsilon(), defaultPerMonth, fraction, key, workload, MeasurementPlan.hierarchy());
            ErrorStats before = stats(truths, hierarchy.answers());
            rows.addAll(rows("published, previous measurement set (hierarchy only), same estimator (comparison)", before, perClass));
            ErrorStats ints = stats(truths, EstimateAnswers.answer(published.publication(), vocabulary, workload));
            rows.addAll(rows("published, estimates summed and rounded once per answer (diagnostic, not served)", ints, perClass));
            for (SizeClass c : SizeClass.values()) {
                details.put("hierarchy." + c.id() + ".p95_pct", before.summary(c).p95Percent());
                details.put("estimatesRoundedOnce." + c.id() + ".p95_pct", ints.summary(c).p95Percent());
            }
            details.put("publicationId", published.publication().id());
            details.put("sigmaSquared", published.publication().sigmaSquared());
            details.put("rhoPerPublication", published.publication().rho());
            details.put("publishMillis", published.publishMillis());
            details.put("unansweredFromPublication", published.answers().stream().filter(a -> a == null).count());

            List<AdHocRun.Result> adHoc = List.of(
                    AdHocRun.asConfigured(policy, CITY, workload, truths, key),
                    AdHocRun.wholeCapAtConfiguredEpsilon(policy, CITY, workload, truths, key),
                    AdHocRun.wholeCapSpread(policy, CITY, workload, truths, key));
            if (run == 0) adHocFirst.addAll(adHoc);
            for (AdHocRun.Result r : adHoc) {
                ErrorStats s = stats(truths, r.answers());
                rows.addAll(rows("per question, " + r.variant() + " (ε " + r.epsilonPerQuestion().toPlainString() + ")", s, perClass));
                details.put("adHoc[" + r.variant() + "].answered", r.answeredCount());
            }
            figures.put("accuracy.adhoc.questions_per_month", (double) adHoc.get(1).answeredCount());
            figures.put("accuracy.adhoc_account.questions_per_month", (double) adHoc.get(0).answeredCount());
            ErrorStats spread = stats(truths, adHoc.get(2).answers());
            figures.put("accuracy.adhoc_spread.large.p95_pct", spread.summary(SizeClass.LARGE).p95Percent());
            figures.put("accuracy.adhoc_spread.medium.p95_pct", spread.summary(SizeClass.MEDIUM).p95Percent());
            comparisons.add(rows);

            for (double eps : epsilons) {
                for (int n : perMonths) {
                    PublishedRun.Result r = eps == cap.epsilon().doubleValue() && n == defaultPerMonth ? published
                            : PublishedRun.publishAndAnswer(ctx.citiesDir(), ctx.workDir(), CITY, table,
                                    BigDecimal.valueOf(eps), n, fraction, key, workload);
                    ErrorStats s = stats(truths, r.answers());
                    ErrorStats lsq = stats(truths, EstimateAnswers.answer(r.publication(), vocabulary, workload));
                    for (SizeClass c : SizeClass.values()) {
                        gridValues.computeIfAbsent(gridKey(eps, n) + "/ls/" + c.id(), k -> new ArrayList<>())
                                .add(lsq.summary(c).p95Percent());
                    }
                    sigmas.put(gridKey(eps, n), Math.sqrt(Double.parseDouble(r.publication().sigmaSquared())));
                    for (SizeClass c : SizeClass.values()) {
                        gridValues.computeIfAbsent(gridKey(eps, n) + "/" + c.id(), k -> new ArrayList<>())
                                .add(s.summary(c).p95Percent());
                    }
                }
            }
            }
            double purchaseRho = cap.publicationRho() * purchaseFraction;
            String purchaseId = CITY + "/accuracy/" + run + "/purchases";
            for (double f : candidateShares) {
                String name = f == 0 ? "no age-band slice (all of the purchases' part to the segmented figures)"
                        : "age-band share " + TradeoffPlot.number(f) + (f == ageBandShare ? " (default)" : "");
                candidates.computeIfAbsent(name, n -> new ArrayList<>()).add(BuyerAccuracy.measure(buyerTruth,
                        purchaseDomain, defaultPerMonth, purchaseRho, f, key, purchaseId));
            }
            String yearsName = fewerYears + " years in the window instead of " + (fewerYears + 1) + ", age-band share "
                    + TradeoffPlot.number(ageBandShare);
            candidates.computeIfAbsent(yearsName, n -> new ArrayList<>()).add(BuyerAccuracy.measure(fewerYearsTruth,
                    fewerYearsDomain, defaultPerMonth, purchaseRho, ageBandShare, key, purchaseId));
            candidateNotes.put(yearsName, "the oldest year of the window (" + purchaseDomain.years().get(0)
                    + ") is no longer published");
            for (var b : bounded.entrySet()) {
                String name = "proposal: at most " + b.getKey() + " categories per person and year, age-band share "
                        + TradeoffPlot.number(ageBandShare);
                candidates.computeIfAbsent(name, n -> new ArrayList<>()).add(BuyerAccuracy.measure(
                        b.getValue().boundedYearFigures(), buyerTruth, BuyerAccuracy.boundedCost(purchaseDomain,
                                b.getKey(), defaultPerMonth, purchaseRho, ageBandShare), key, purchaseId));
                candidateNotes.put(name, String.format(Locale.ROOT, "not built (flink-jobs); %.1f %% of the person-years "
                        + "with purchases exceed it; error against the unbounded truth", 100 * b.getValue().shareOverBound()));
            }
            BuyerAccuracy.Result buyers = BuyerAccuracy.measure(buyerTruth, purchaseDomain, defaultPerMonth, purchaseRho,
                    ageBandShare, key, CITY + "/accuracy/" + run + "/purchases");
            BuyerAccuracy.Result buyersWithout = BuyerAccuracy.measure(buyerTruth, purchaseDomain, defaultPerMonth,
                    purchaseRho, 0, key, CITY + "/accuracy/" + run + "/purchases");
            buyerRuns.add(buyers);
            buyerRunsWithout.add(buyersWithout);
            figures.put("accuracy.buyers.p95_pct", buyers.p95Percent());
            details.put("buyersAgeBandYear.median_pct", buyers.medianPercent());
            details.put("buyersAgeBandYear.cells", buyers.cells());
            details.put("buyersAgeBandYear.sigmaSlice", buyers.sigmaSlice());
            details.put("buyersAgeBandYear.withoutSlice.p95_pct", buyersWithout.p95Percent());
            figures.values().removeIf(v -> v.isNaN());
            recorder.run(figures, details);
        }
        List<String> candidateTable = buyerCandidates(candidates, candidateNotes);
        candidateTable.forEach(line -> System.out.println("[bench accuracy] " + line));
        if (buyersOnly) {
            recorder.note("--buyers-only: the audience part was not run; nothing written to docs/BENCHMARKS.md.");
            return;
        }

        List<Tradeoff> grid = new ArrayList<>();
        for (double eps : epsilons) {
            for (int n : perMonths) {
                grid.add(new Tradeoff(eps, n, sigmas.get(gridKey(eps, n)), medians(gridValues, gridKey(eps, n) + "/"),
                        medians(gridValues, gridKey(eps, n) + "/ls/")));
            }
        }
        String svg = TradeoffPlot.svg(grid, epsilons, perMonths, List.of(SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL));
        AccuracyReport.write(ctx.repo().resolve("docs/BENCHMARKS.md"), setup(table, workload, perClass, ctx.runs(), cap, fraction),
                comparisons.get(comparisons.size() / 2), adHocFacts(policy, adHocFirst, workload.size()),
                concat(buyerFacts(buyerRuns, buyerRunsWithout, buyerSizes, purchaseDomain, purchaseFraction,
                        ageBandShare, defaultPerMonth), candidateTable), grid, epsilons, perMonths, svg);
        recorder.note("Accuracy does not depend on machine load (nothing is timed); the machine was shared with other work.");
        recorder.note("Category buyers by age band per year: synthetic yearly buyers per resident and category "
                + "(SyntheticBuyers), published by the service's own release code (PurchaseStatistics.release).");
        recorder.note("Full tables and the trade-off plot: section 'Accuracy of the published figures' below.");
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * fraction);
    }

    private static String setup(ProfileTable table, List<AudienceFilter> workload, Map<SizeClass, Integer> perClass,
                                int runs, CityBudgetPolicy cap, double fraction) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Musterstadt, %,d current profiles (the simulator's residents as of %s, profiled "
                + "as `bench/run audience` writes them; truth counted in memory), %,d distinct audience questions (seed %d; ",
                table.size(), CENSUS_DAY, workload.size(), SEED));
        perClass.forEach((c, n) -> s.append(c.label()).append(": ").append(n).append(", "));
        s.append(String.format(Locale.ROOT, "the rest smaller than 50), %d runs with independent noise keys (the comparison "
                + "table shows the middle run, the trade-off medians over the runs). Cap ε = %s per resident and month at "
                + "δ = %s (ρ = %.4f), ad-hoc share %s split between %d accounts. The audience cube is published on %s of "
                + "the publication share, as the service splits it by default (journey figures %s, purchase statistics "
                + "half of the rest; `--audience-fraction`); every row and the trade-off use that fraction.", runs,
                cap.epsilon().toPlainString(), cap.delta().toPlainString(), cap.rhoCap(), cap.adHocShare().toPlainString(),
                cap.accounts(), percent(fraction), percent(QueryConfig.JOURNEY_PUBLICATION_SHARE.defaultValue())));
        return s.toString();
    }

    private static List<String> buyerFacts(List<BuyerAccuracy.Result> with, List<BuyerAccuracy.Result> without,
                                           long[] sizes, PurchaseDomain domain, double purchaseFraction,
                                           double ageBandShare, int perMonth) {
        BuyerAccuracy.Result first = with.get(0);
        List<String> facts = new ArrayList<>();
        facts.add(String.format(Locale.ROOT, "**Category buyers by age band per year** (cells of ≥ %d buyers: %,d of "
                + "%d categories × %d age bands × %d years; 200–499: %,d, 500–999: %,d, 1,000–4,999: %,d, ≥ 5,000: %,d). "
                + "Synthetic yearly buyers per resident and category (`SyntheticBuyers`), published by the service's "
                + "release code (`PurchaseStatistics.release`) on the purchase statistics' part of the publication share "
                + "(%s), %d publication(s) a month, the age-band slice at %s of it (σ %.1f per band; the segmented "
                + "figures σ %.1f; ρ per release %.5f): median error %s, **p95 %s** (goal ≤ %s %%; median over the runs). "
                + "Without the slice (all of the part to the segmented figures, σ %.1f): median %s, p95 %s.",
                BuyerAccuracy.MIN_BUYERS, first.cells(), domain.categories().size(),
                domain.dimensions().get("ageBand").size(), domain.years().size(), sizes[0], sizes[1], sizes[2], sizes[3],
                percent(purchaseFraction), perMonth, percent(ageBandShare), first.sigmaSlice(), first.sigmaMain(),
                first.rho(), AccuracyReport.percent(median(with, BuyerAccuracy.Result::medianPercent)),
                AccuracyReport.percent(median(with, BuyerAccuracy.Result::p95Percent)),
                TradeoffPlot.number(BuyerAccuracy.GOAL_P95_PERCENT), without.get(0).sigmaMain(),
                AccuracyReport.percent(median(without, BuyerAccuracy.Result::medianPercent)),
                AccuracyReport.percent(median(without, BuyerAccuracy.Result::p95Percent))));
        return facts;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The candidates for the buyers' goal as a table (medians over the runs), for the console and the report. */
    private static List<String> buyerCandidates(Map<String, List<BuyerAccuracy.Result>> candidates,
                                                Map<String, String> notes) {
        StringBuilder t = new StringBuilder("Candidates for the buyers' goal (same truth, same noise keys, medians over "
                + "the runs; σ of the other purchase figures = every node of the segmented figures: months, districts, "
                + "personas, customers per participant):\n\n"
                + "| design | σ per age band | σ other purchase figures | ρ per release | median error | p95 error | p95 of "
                + "single runs | goal ≤ " + TradeoffPlot.number(BuyerAccuracy.GOAL_P95_PERCENT)
                + " % | note |\n|---|---|---|---|---|---|---|---|---|\n");
        candidates.forEach((name, results) -> {
            BuyerAccuracy.Result r = results.get(0);
            double p95 = median(results, BuyerAccuracy.Result::p95Percent);
            double sliceSigma = r.sigmaSlice();
            double lowest = results.stream().mapToDouble(BuyerAccuracy.Result::p95Percent).min().orElse(Double.NaN);
            double highest = results.stream().mapToDouble(BuyerAccuracy.Result::p95Percent).max().orElse(Double.NaN);
            t.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.5f | %s | %s | %s | %s | %s |%n", name,
                    Double.isNaN(sliceSigma) ? "— (" + String.format(Locale.ROOT, "%.1f", r.sigmaMain()) + ")"
                            : String.format(Locale.ROOT, "%.1f", sliceSigma),
                    r.sigmaMain(), r.rho(), AccuracyReport.percent(median(results, BuyerAccuracy.Result::medianPercent)),
                    AccuracyReport.percent(p95), AccuracyReport.percent(lowest) + " – " + AccuracyReport.percent(highest),
                    p95 <= BuyerAccuracy.GOAL_P95_PERCENT ? "met" : "missed",
                    notes.getOrDefault(name, "")));
        });
        return List.of(t.toString().strip());
    }

    private static double median(List<BuyerAccuracy.Result> results,
                                 java.util.function.ToDoubleFunction<BuyerAccuracy.Result> f) {
        return Stats.median(results.stream().map(r -> f.applyAsDouble(r)).filter(v -> !v.isNaN()).toList());
    }

    private static List<String> adHocFacts(PrivacyPolicy policy, List<AdHocRun.Result> adHoc, int questions) {
        CityBudgetPolicy cap = policy.city(CITY).cityBudget();
        var rules = policy.city(CITY).rules(AskerRole.PARTICIPANT);
        double rhoPerQuestion = adHoc.get(1).rhoPerQuestion();
        List<String> facts = new ArrayList<>();
        facts.add(String.format(Locale.ROOT, "Today's per-question mechanism (%s, ε = %s per question) charges ρ = %.7f "
                + "per question (%s; the ρ the accountant is charged, `NoiseCalibration.rho`); the whole cap ρ = %.4f pays "
                + "**%d questions a month for the whole city** (measured: the accountant refused the %d-th), each with "
                + "noise of standard deviation %.1f.",
                rules.mechanism().name().toLowerCase(Locale.ROOT).replace('_', '-'), rules.epsilonPerQuestion().toPlainString(),
                rhoPerQuestion, AdHocRun.rhoFormula(rules), cap.rhoCap(), adHoc.get(1).answeredCount(),
                adHoc.get(1).answeredCount() + 1, AdHocRun.noiseStandardDeviation(rules, rules.epsilonPerQuestion())));
        facts.add(String.format(Locale.ROOT, "As configured (ad-hoc share %s of the cap, split between %d accounts: ρ = %.6f "
                + "per account and month) one account's part pays **%d** such questions.",
                cap.adHocShare().toPlainString(), cap.accounts(), cap.adHocRhoPerAccount(), adHoc.get(0).answeredCount()));
        BigDecimal spread = adHoc.get(2).epsilonPerQuestion();
        facts.add(String.format(Locale.ROOT, "Spreading the whole cap over the %,d questions of the workload gives each "
                + "ρ = %.7f, with the same mechanism ε = %s per question (noise standard deviation %.0f); over 10,000 "
                + "distinct questions a month — 60 accounts asking about 6 new questions a day — it would be %.0f, over "
                + "100,000 %.0f. The publication answers any number of questions with the error shown above.", questions,
                adHoc.get(2).rhoPerQuestion(), spread.toPlainString(), AdHocRun.noiseStandardDeviation(rules, spread),
                AdHocRun.noiseStandardDeviation(rules, AdHocRun.spreadEpsilon(rules, cap.rhoCap(), 10_000)),
                AdHocRun.noiseStandardDeviation(rules, AdHocRun.spreadEpsilon(rules, cap.rhoCap(), 100_000))));
        return facts;
    }

    private static List<AccuracyReport.Row> rows(String mechanism, ErrorStats stats, Map<SizeClass, Integer> perClass) {
        List<AccuracyReport.Row> rows = new ArrayList<>();
        for (ErrorStats.Summary s : stats.summaries()) {
            rows.add(new AccuracyReport.Row(mechanism, s.sizeClass(), s.answered(), perClass.getOrDefault(s.sizeClass(), 0),
                    s.medianPercent(), s.p95Percent()));
        }
        return rows;
    }

    private static ErrorStats stats(List<Long> truths, List<Long> answers) {
        ErrorStats s = new ErrorStats();
        for (int i = 0; i < truths.size(); i++) s.add(truths.get(i), answers.get(i));
        return s;
    }

    private static Map<SizeClass, Double> medians(Map<String, List<Double>> values, String prefix) {
        Map<SizeClass, Double> p95 = new EnumMap<>(SizeClass.class);
        for (SizeClass c : SizeClass.values()) {
            List<Double> v = values.get(prefix + c.id()).stream().filter(x -> !x.isNaN()).toList();
            p95.put(c, v.isEmpty() ? Double.NaN : Stats.median(v));
        }
        return p95;
    }

    private static String gridKey(double epsilon, int perMonth) {
        return epsilon + "x" + perMonth;
    }

    /** A 32-byte noise key per run: independent publications, reproducible runs. */
    private static byte[] key(String name) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Double> doubles(String list) {
        List<Double> values = new ArrayList<>();
        for (String v : list.split(",")) values.add(Double.parseDouble(v.trim()));
        return values;
    }
}
