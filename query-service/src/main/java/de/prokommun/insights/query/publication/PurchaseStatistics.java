package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.DominanceRule;
import de.prokommun.insights.query.audience.CityVocabulary;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purchase part of a publication run ({@link StatisticsOffice} calls it after the audience cube, in the same
 * period): counts the {@link PurchaseDomain}'s figures in Pinot once, draws each node's noise once
 * ({@link SegmentConsistency}), makes every figure consistent, pays the release from its fraction of the city's
 * publication share, writes it and only then serves it. Its release id is the period's with {@code /purchases}
 * appended, so the city budget charges it once, apart from the audience cube; a release id already held is never
 * made again, one paid but not held is skipped until the next period (as for the audience cube). Before it is
 * kept, {@link CategoryConfidentiality} withholds (and rolls up) the figures of categories whose sellers the
 * city's dominance rule protects; customers per participant are kept whole (only that participant and the
 * operator read them).
 */
public final class PurchaseStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(PurchaseStatistics.class);
    static final String SUFFIX = "/purchases";

    private final TruePurchases truth;
    private final PublishedPurchases published;
    private final PurchaseStore store;
    private final Function<String, List<String>> participants;
    private final int months;
    private final int years;
    private final double share;
    private final Function<String, DominanceRule> dominance;
    private final double ageBandShare;

    /**
     * @param participants the participants whose customers are published, per city (the fixed rows)
     * @param months       months in the window (the current one included)
     * @param years        years in the window (the current one included)
     * @param share        the fraction of the city's publication share these releases may spend, 0 < share < 1
     *                     (the audience cube spends the rest)
     * @param dominance    each city's dominance rule (privacy.json), applied to every category figure
     */
    public PurchaseStatistics(CubeSource counts, String contributionsTable, String profilesTable,
                              PublishedPurchases published, PurchaseStore store,
                              Function<String, List<String>> participants, int months, int years, double share,
                              Function<String, DominanceRule> dominance) {
        this(counts, contributionsTable, profilesTable, published, store, participants, months, years, share, dominance, 0);
    }

    /**
     * @param ageBandShare the part of these releases' ρ that the {@link BuyersByAgeBand} slice spends (0: no slice)
     */
    public PurchaseStatistics(CubeSource counts, String contributionsTable, String profilesTable,
                              PublishedPurchases published, PurchaseStore store,
                              Function<String, List<String>> participants, int months, int years, double share,
                              Function<String, DominanceRule> dominance, double ageBandShare) {
        this.dominance = dominance;
        if (!(ageBandShare >= 0 && ageBandShare < 1)) {
            throw new IllegalArgumentException("query.publication.purchases.age-band-share must be at least 0 and below 1: "
                    + ageBandShare);
        }
        this.ageBandShare = ageBandShare;
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("query.publication.purchases.share must be between 0 and 1 (exclusive): " + share);
        }
        if (months < 1) throw new IllegalArgumentException("query.publication.purchases.months must be at least 1: " + months);
        if (years < 1) throw new IllegalArgumentException("query.publication.purchases.years must be at least 1: " + years);
        this.truth = new TruePurchases(counts, contributionsTable, profilesTable);
        this.published = published;
        this.store = store;
        this.participants = participants;
        this.months = months;
        this.years = years;
        this.share = share;
    }

    /** The fraction of the publication share these releases spend. */
    public double share() {
        return share;
    }

    /** Serves the stored release again (no charge) if it was made for the city's current vocabulary. */
    void reload(String city, CityVocabulary vocabulary) {
        store.load(city).ifPresent(p -> {
            PurchaseDomain domain = domain(city, vocabulary, p.month());
            boolean sameVocabulary = p.figures().values().stream().allMatch(f -> f.dimensions().isEmpty()
                    || (f.dimensions().keySet().equals(domain.dimensions().keySet())
                    && domain.dimensions().entrySet().stream().allMatch(d -> f.dimensions().get(d.getKey()).keySet()
                    .equals(new java.util.HashSet<>(d.getValue())))
                    && f.personas().keySet().equals(new java.util.HashSet<>(domain.personas()))));
            if (!sameVocabulary) {
                LOG.warn("The stored purchase statistics {} of {} were made for another vocabulary; not serving them",
                        p.id(), city);
                return;
            }
            published.hold(p);
            LOG.info("Serving the stored purchase statistics {} of {}", p.id(), city);
        });
    }

    /** The release of the period if it is not held yet (counted, noised, made consistent, paid, written). */
    Optional<PurchasePublication> publishIfDue(String city, CityVocabulary vocabulary, PublicationSchedule.Period period,
                                               Instant now, Instant publishedAt, PublicationLedger ledger,
                                               int perMonth, byte[] prfKey) {
        String releaseId = period.releaseId() + SUFFIX;
        Optional<PurchasePublication> held = published.latest(city);
        if (held.isPresent() && held.get().id().equals(releaseId)) return held;
        PurchaseDomain domain = domain(city, vocabulary, period.month());
        if (domain.isEmpty()) return held;
        PurchaseReleaseCost cost = PurchaseReleaseCost.of(domain, perMonth, ledger.publicationRhoPerMonth(city) * share,
                ageBandShare);
        int today = (int) LocalDate.ofInstant(now, vocabulary.timeZone()).toEpochDay();
        Map<PurchaseFigureKey, SegmentedFigure> counts = truth.count(city, domain, today);
        var sales = truth.sales(city, domain);
        if (counts.values().stream().allMatch(f -> f.total() == 0)) {
            LOG.info("No purchase statistics to publish for {} yet: no buyers or customers in the window", city);
            return held;
        }
        Release release = release(counts, cost, prfKey, releaseId);
        Map<PurchaseFigureKey, SegmentedFigure> measured = release.measured();
        Map<PurchaseFigureKey, SegmentedFigure> figures = release.figures();
        counts.clear();
        CategoryConfidentiality.Outcome shown = new CategoryConfidentiality(dominance.apply(city),
                vocabulary.categories()).apply(figures, sales);
        sales.clear();
        if (!ledger.chargePublication(city, period.month(), releaseId, cost.rho())) {
            LOG.warn("Purchase statistics {} were paid before but are not held here; not releasing them twice",
                    releaseId);
            return held;
        }
        PurchasePublication publication = new PurchasePublication(city, releaseId, period.month(), publishedAt, now,
                cost.rho(), cost.main().sigmaSquared().toPlainString(), shown.figures(), measured, shown.pooled(),
                cost.hasSlice() ? cost.sliceSigmaSquared().toPlainString() : null);
        store.save(publication);
        published.hold(publication);
        LOG.info("Published {} ({} figures, {} withheld by the dominance rule, {} pooled; Δ²={}, σ²={}; age-band slice"
                        + " Δ²={}, σ²={}; ρ={})",
                releaseId, shown.figures().size(), shown.withheld().size(), shown.pooled().size(),
                domain.sensitivitySquared(), publication.sigmaSquared(), BuyersByAgeBand.sensitivitySquared(domain),
                publication.ageBandSigmaSquared(), publication.rho());
        return Optional.of(publication);
    }

    /**
     * A release's figures from the exact counts, before the dominance rule: noisy measurements (kept for audit)
     * and the consistent figures (served).
     */
    public record Release(Map<PurchaseFigureKey, SegmentedFigure> measured, Map<PurchaseFigureKey, SegmentedFigure> figures) {}

    /**
     * Noise and consistency of one release of purchase statistics — the service's own code path, public so that
     * {@code bench/run accuracy} measures exactly what is published. Every figure gets its own draws at the main σ²
     * ({@link SegmentConsistency}); with a slice, each year's buyers of a category also get the slice's draws per
     * age band ({@link BuyersByAgeBand}), combined with the figure's own age bands before consistency.
     *
     * @param counts the exact figures of the domain (as {@code TruePurchases} counts them)
     */
    public static Release release(Map<PurchaseFigureKey, SegmentedFigure> counts, PurchaseReleaseCost cost, byte[] prfKey,
                                  String releaseId) {
        CellNoise noise = new CellNoise(prfKey, releaseId, cost.main().sigmaSquaredRational());
        CellNoise sliceNoise = cost.hasSlice()
                ? new CellNoise(prfKey, releaseId, cost.slice().sigmaSquaredRational()) : null;
        double variance = cost.main().sigmaSquared().doubleValue();
        double sliceVariance = cost.hasSlice() ? cost.slice().sigmaSquared().doubleValue() : Double.NaN;
        Map<PurchaseFigureKey, SegmentedFigure> measured = new LinkedHashMap<>();
        Map<PurchaseFigureKey, SegmentedFigure> figures = new LinkedHashMap<>();
        counts.forEach((key, exact) -> {
            SegmentedFigure m = SegmentConsistency.measure(exact, noise.slice(key.stream()));
            measured.put(key, m);
            if (sliceNoise != null && BuyersByAgeBand.covers(key)
                    && exact.dimensions().containsKey(BuyersByAgeBand.DIMENSION)) {
                PurchaseFigureKey audit = BuyersByAgeBand.auditKey(key);
                // Its own stream name (the measure differs), so the slice's draws are independent of the figure's.
                SegmentedFigure s = BuyersByAgeBand.measure(exact, sliceNoise.slice(audit.stream()));
                measured.put(audit, s);
                figures.put(key, SegmentConsistency.consistent(BuyersByAgeBand.combine(m, s, variance, sliceVariance),
                        variance, Map.of(BuyersByAgeBand.DIMENSION,
                                BuyersByAgeBand.combinedVariance(variance, sliceVariance))));
            } else {
                figures.put(key, SegmentConsistency.consistent(m, variance));
            }
        });
        return new Release(measured, figures);
    }

    private PurchaseDomain domain(String city, CityVocabulary vocabulary, java.time.YearMonth month) {
        return PurchaseDomain.of(vocabulary, participants.apply(city), month, months, years);
    }
}
