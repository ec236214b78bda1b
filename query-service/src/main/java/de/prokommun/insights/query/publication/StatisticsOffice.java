package de.prokommun.insights.query.publication;

import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.CityVocabulary;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a city's publication when one is due (blocking: counts in Pinot, draws noise, pays, writes): the true
 * cube is counted once, every cell of every marginal its {@link MeasurementPlan} lists in every slice (zeros
 * included) gets its noise once, each slice is fitted to its measurements by least squares ({@link SliceMarginals}),
 * the release is paid once from the city's publication share, written to
 * disk, and only then served. A release id already held is never made again; one
 * paid but not held (a crash between paying and writing) is skipped until the next period rather than released a
 * second time unpaid.
 */
public final class StatisticsOffice {

    private static final Logger LOG = LoggerFactory.getLogger(StatisticsOffice.class);

    private final CityCatalog cities;
    private final TrueCube truth;
    private final PublishedStatistics published;
    private final PublicationStore store;
    private final PublicationLedger ledger;
    private final PublicationSchedule schedule;
    private final byte[] prfKey;
    private final Clock clock;
    /** The purchase statistics published in the same run, or null (audience cube only, on the whole share). */
    private final PurchaseStatistics purchases;
    private final MeasurementPlan plan;
    /** The journey and voucher figures published in the same run, or null; paid from the unscaled ledger. */
    private JourneyStatistics journey;
    private PublicationLedger journeyLedger;

    public StatisticsOffice(CityCatalog cities, CubeSource counts, String table, PublishedStatistics published,
                            PublicationStore store, PublicationLedger ledger, PublicationSchedule schedule,
                            byte[] prfKey, Clock clock) {
        this(cities, counts, table, published, store, ledger, schedule, prfKey, clock, MeasurementPlan.standard(), null);
    }

    /**
     * An office that also publishes the purchase statistics in every run; the audience cube then spends
     * (1 − purchases.share()) of the publication share, the purchase statistics the rest.
     */
    public StatisticsOffice(CityCatalog cities, CubeSource counts, String table, PublishedStatistics published,
                            PublicationStore store, PublicationLedger ledger, PublicationSchedule schedule,
                            byte[] prfKey, Clock clock, PurchaseStatistics purchases) {
        this(cities, counts, table, published, store, ledger, schedule, prfKey, clock, MeasurementPlan.standard(), purchases);
    }

    /**
     * An office that also publishes the journey and voucher figures in every run: they spend journey.share() of
     * the publication share, and the audience cube and the purchase statistics divide the rest as before.
     */
    public StatisticsOffice(CityCatalog cities, CubeSource counts, String table, PublishedStatistics published,
                            PublicationStore store, PublicationLedger ledger, PublicationSchedule schedule,
                            byte[] prfKey, Clock clock, PurchaseStatistics purchases, JourneyStatistics journey) {
        this(cities, counts, table, published, store, journey == null ? ledger
                        : JourneyStatistics.scaled(ledger, 1 - journey.share()), schedule, prfKey, clock,
                MeasurementPlan.standard(), purchases);
        this.journey = journey;
        this.journeyLedger = ledger;
    }

    /** With another choice of measured marginals and weights (benchmarks compare them). */
    public StatisticsOffice(CityCatalog cities, CubeSource counts, String table, PublishedStatistics published,
                            PublicationStore store, PublicationLedger ledger, PublicationSchedule schedule,
                            byte[] prfKey, Clock clock, MeasurementPlan plan) {
        this(cities, counts, table, published, store, ledger, schedule, prfKey, clock, plan, null);
    }

    private StatisticsOffice(CityCatalog cities, CubeSource counts, String table, PublishedStatistics published,
                             PublicationStore store, PublicationLedger ledger, PublicationSchedule schedule,
                             byte[] prfKey, Clock clock, MeasurementPlan plan, PurchaseStatistics purchases) {
        this.plan = plan;
        this.purchases = purchases;
        this.cities = cities;
        this.truth = new TrueCube(counts, table);
        this.published = published;
        this.store = store;
        this.ledger = ledger;
        this.schedule = schedule;
        this.prfKey = prfKey.clone();
        this.clock = clock;
    }

    /**
     * Serves the city's stored publication again (no charge): what a restart does first. A publication made for
     * another vocabulary (a district, persona or published interest added or removed since) is not served: its
     * cells would answer a question about the new value with 0.
     */
    public void reload(String city) {
        CityVocabulary vocabulary = cities.city(city).orElseThrow(() -> new IllegalArgumentException("no city " + city));
        if (purchases != null) purchases.reload(city, vocabulary);
        if (journey != null) journey.reload(city);
        CubeDomain domain = CubeDomain.of(vocabulary);
        Optional<Publication> stored;
        try {
            stored = store.load(city);
        } catch (IllegalStateException e) {
            // e.g. a publication of the four-dimensional cube written before recent activity was published: its
            // period stays paid, so the city is answered ad hoc until the next period publishes the new cube
            LOG.warn("The stored publication of {} cannot be read; not serving it: {}", city,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return;
        }
        stored.ifPresent(p -> {
            // A slice no longer measured (a persona now answered from the slice of everybody) is simply not read.
            boolean sameCube = p.cells().keySet().containsAll(domain.slices())
                    && p.cells().values().stream().allMatch(c -> c.keySet().equals(new java.util.HashSet<>(domain.cells())));
            if (!sameCube) {
                LOG.warn("The stored publication {} of {} was made for another vocabulary; not serving it", p.id(), city);
                return;
            }
            published.hold(p);
            LOG.info("Serving the stored publication {} of {} (published {})", p.id(), city, p.publishedAt());
        });
    }

    /** How long until the city's next publication period begins (by this office's clock). */
    public java.time.Duration untilNextPeriod(String city) {
        CityVocabulary vocabulary = cities.city(city).orElseThrow(() -> new IllegalArgumentException("no city " + city));
        Instant now = clock.instant();
        return java.time.Duration.between(now, schedule.nextStart(now, vocabulary.timeZone()));
    }

    /** Whether the city's current period has no publication held yet (the next check would publish). */
    public boolean isDue(String city) {
        CityVocabulary vocabulary = cities.city(city).orElseThrow(() -> new IllegalArgumentException("no city " + city));
        String current = schedule.periodAt(city, clock.instant(), vocabulary.timeZone()).releaseId();
        return published.latest(city).map(p -> !p.id().equals(current)).orElse(true);
    }

    /** The publication serving the city after this call: a new one if its period began, else the one held. */
    public Optional<Publication> publishIfDue(String city) {
        CityVocabulary vocabulary = cities.city(city).orElseThrow(() -> new IllegalArgumentException("no city " + city));
        Instant now = clock.instant();
        PublicationSchedule.Period period = schedule.periodAt(city, now, vocabulary.timeZone());
        Optional<Publication> audience = publishAudienceIfDue(city, vocabulary, period, now);
        // The purchase statistics are paid and kept apart: a failure of one part leaves the other, and the next
        // check retries what is missing.
        if (purchases != null) {
            purchases.publishIfDue(city, vocabulary, period, now, clock.instant(), ledger, schedule.perMonth(), prfKey);
        }
        if (journey != null) {
            journey.publishIfDue(city, vocabulary, period, now, clock.instant(), journeyLedger, schedule.perMonth(), prfKey);
        }
        return audience;
    }

    private Optional<Publication> publishAudienceIfDue(String city, CityVocabulary vocabulary,
                                                       PublicationSchedule.Period period, Instant now) {
        Optional<Publication> held = published.latest(city);
        if (held.isPresent() && held.get().id().equals(period.releaseId())) return held;

        CubeDomain domain = CubeDomain.of(vocabulary);
        double share = ledger.publicationRhoPerMonth(city) * (purchases == null ? 1 : 1 - purchases.share());
        MeasurementCost cost = new MeasurementCost(plan, domain.slices(), schedule.perMonth(), share);
        long today = java.time.LocalDate.ofInstant(now, vocabulary.timeZone()).toEpochDay();
        Map<String, Map<CellKey, Long>> counts = truth.count(city, domain, today);
        if (nobodyProfiled(counts)) {
            // A publication of an empty city would be served for the whole period (in a fresh local mode: until next
            // week) and spend a share of the cap on nothing; the next check publishes once people are profiled.
            LOG.info("Nothing to publish for {} yet: no profiles; checking again later", city);
            return held;
        }
        MeasurementNoise noise = new MeasurementNoise(prfKey, period.releaseId());
        Map<String, Map<CellKey, Long>> integers = new LinkedHashMap<>();
        Map<String, Map<CellKey, Double>> estimates = new LinkedHashMap<>();
        Map<String, List<Measurement>> measured = new LinkedHashMap<>();
        Map<String, Map<String, String>> sigmas = new LinkedHashMap<>();
        for (String slice : domain.slices()) {
            Map<Marginal, BigDecimal> sigmaSquared = new LinkedHashMap<>();
            Map<String, String> written = new LinkedHashMap<>();
            for (Marginal m : plan.of(slice).keySet()) {
                sigmaSquared.put(m, cost.sigmaSquared(slice, m));
                written.put(m.name(), cost.sigmaSquared(slice, m).toPlainString());
            }
            SliceMarginals marginals = new SliceMarginals(domain, counts.getOrDefault(slice, Map.of()), sigmaSquared,
                    noise.slice(slice));
            measured.put(slice, marginals.measurements());
            Map<CellKey, Double> fitted = marginals.estimates();
            estimates.put(slice, fitted);
            integers.put(slice, SliceMarginals.integerCells(fitted));
            sigmas.put(slice, written);
        }
        counts.clear();
        if (!ledger.chargePublication(city, period.month(), period.releaseId(), cost.rho())) {
            LOG.warn("Publication {} was paid before but is not held here; not releasing it twice, the next period"
                    + " publishes again", period.releaseId());
            return held;
        }
        Publication publication = new Publication(city, period.releaseId(), period.month(), clock.instant(), now,
                cost.rho(), cost.sigmaSquared(CubeDomain.ALL, Marginal.CELLS).toPlainString(), integers,
                measured, estimates, sigmas);
        store.save(publication);
        published.hold(publication);
        LOG.info("Published {} ({} slices, {} measurements, σ² of the cells {}, ρ={})", publication.id(),
                domain.slices().size(), measured.values().stream().mapToInt(List::size).sum(), publication.sigmaSquared(),
                publication.rho());
        return Optional.of(publication);
    }

    private static boolean nobodyProfiled(Map<String, Map<CellKey, Long>> counts) {
        for (Map<CellKey, Long> slice : counts.values()) {
            for (long n : slice.values()) if (n > 0) return false;
        }
        return true;
    }
}
