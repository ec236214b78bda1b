package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.query.audience.CityVocabulary;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journey and voucher part of a publication run ({@link StatisticsOffice} calls it after the audience cube and
 * the purchase statistics, in the same period): sums the {@link JourneyDomain}'s figures in Pinot once, draws each
 * cell's noise once (one exact discrete Gaussian per cell, σ² per group from {@link JourneyCost}), post-processes
 * ({@link JourneyConsistency}), pays the release from its fraction of the city's publication share, writes it and
 * only then serves it. Its release id is the period's with {@code /journey} appended, so the city budget charges it
 * once, apart from the other parts; a release id already held is never made again, one paid but not held is skipped
 * until the next period (as for the other parts).
 */
public final class JourneyStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyStatistics.class);
    static final String SUFFIX = "/journey";

    /** The catalogue of a city as the publication needs it: participants (rows, nodes) and employers. */
    public record Catalogue(List<String> participants, List<String> employers) {
        public Catalogue {
            participants = List.copyOf(participants);
            employers = List.copyOf(employers);
        }
    }

    private final TrueJourney truth;
    private final PublishedJourney published;
    private final JourneyStore store;
    private final Function<String, Catalogue> catalogue;
    private final Function<String, SumClamps> clamps;
    private final int months;
    private final double share;

    /**
     * @param months months in the window (the current one included)
     * @param share  the fraction of the city's publication share these releases spend, 0 < share < 1 (the audience
     *               cube and the purchase statistics divide the rest as before)
     */
    public JourneyStatistics(CubeSource counts, String contributionsTable, PublishedJourney published, JourneyStore store,
                             Function<String, Catalogue> catalogue, Function<String, SumClamps> clamps, int months,
                             double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("query.publication.journey.share must be between 0 and 1 (exclusive): " + share);
        }
        if (months < 1) throw new IllegalArgumentException("query.publication.journey.months must be at least 1: " + months);
        this.truth = new TrueJourney(counts, contributionsTable);
        this.published = published;
        this.store = store;
        this.catalogue = catalogue;
        this.clamps = clamps;
        this.months = months;
        this.share = share;
    }

    public double share() {
        return share;
    }

    /** Serves the stored release again (no charge) if it was made for the city's current catalogue. */
    void reload(String city) {
        store.load(city).ifPresent(p -> {
            Catalogue now = catalogue.apply(city);
            if (!p.participants().equals(now.participants()) || !p.employers().equals(now.employers())) {
                LOG.warn("The stored journey figures {} of {} were made for another catalogue; not serving them", p.id(), city);
                return;
            }
            published.hold(p);
            LOG.info("Serving the stored journey figures {} of {}", p.id(), city);
        });
    }

    JourneyDomain domain(String city, CityVocabulary vocabulary, java.time.YearMonth month) {
        Catalogue c = catalogue.apply(city);
        return JourneyDomain.of(c.participants(), c.employers(), vocabulary.districts(), month, months, clamps.apply(city));
    }

    /** The release of the period if it is not held yet (summed, noised, made consistent, paid, written). */
    Optional<JourneyPublication> publishIfDue(String city, CityVocabulary vocabulary, PublicationSchedule.Period period,
                                              Instant now, Instant publishedAt, PublicationLedger ledger, int perMonth,
                                              byte[] prfKey) {
        String releaseId = period.releaseId() + SUFFIX;
        Optional<JourneyPublication> held = published.latest(city);
        if (held.isPresent() && held.get().id().equals(releaseId)) return held;
        JourneyDomain domain = domain(city, vocabulary, period.month());
        if (domain.isEmpty()) return held;
        JourneyCost cost = new JourneyCost(domain, perMonth, ledger.publicationRhoPerMonth(city) * share);
        Map<Integer, Map<JourneyGroup, Map<String, Long>>> counts = truth.count(city, domain);
        if (counts.values().stream().allMatch(groups -> groups.values().stream()
                .allMatch(cells -> cells.values().stream().allMatch(n -> n == 0)))) {
            LOG.info("No journey figures to publish for {} yet: no visits, customers or vouchers in the window", city);
            return held;
        }
        Map<JourneyGroup, Double> variance = new EnumMap<>(JourneyGroup.class);
        Map<String, String> noise = new LinkedHashMap<>();
        cost.sigmaSquared().forEach((g, s2) -> {
            variance.put(g, s2.doubleValue());
            noise.put(g.key(), s2.toPlainString());
        });
        Map<String, Map<String, Map<String, Long>>> measuredOut = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, Long>>> figures = new LinkedHashMap<>();
        counts.forEach((month, groups) -> {
            String label = JourneyDomain.monthLabel(month);
            Map<JourneyGroup, Map<String, Long>> measured = new EnumMap<>(JourneyGroup.class);
            groups.forEach((g, cells) -> {
                LongSupplier draw = new CellNoise(prfKey, releaseId, cost.sigmaSquaredRational(g)).slice(label + "/" + g.key());
                Map<String, Long> noisy = new LinkedHashMap<>();
                cells.forEach((cell, n) -> noisy.put(cell, Math.addExact(n, draw.getAsLong())));
                measured.put(g, noisy);
            });
            Map<String, Map<String, Long>> asDrawn = new LinkedHashMap<>();
            measured.forEach((g, cells) -> asDrawn.put(g.key(), cells));
            measuredOut.put(label, asDrawn);
            figures.put(label, JourneyConsistency.publish(measured, variance));
        });
        counts.clear();
        if (!ledger.chargePublication(city, period.month(), releaseId, cost.rho())) {
            LOG.warn("Journey figures {} were paid before but are not held here; not releasing them twice", releaseId);
            return held;
        }
        JourneyPublication publication = new JourneyPublication(city, releaseId, period.month(), publishedAt, now,
                cost.rho(), domain.participants(), domain.employers(), noise, figures, measuredOut);
        store.save(publication);
        published.hold(publication);
        LOG.info("Published {} ({} months, {} participants; ρ={}, σ of customers {}, of shared {}, of flows {})",
                releaseId, domain.months().size(), domain.participants().size(), publication.rho(),
                sigma(cost, JourneyGroup.CUSTOMERS), sigma(cost, JourneyGroup.SHARED), sigma(cost, JourneyGroup.FLOWS_7D));
        return Optional.of(publication);
    }

    private static long sigma(JourneyCost cost, JourneyGroup g) {
        return Math.round(Math.sqrt(cost.sigmaSquared(g).doubleValue()));
    }

    /** A view of a ledger whose publication share is scaled (the other parts' share when this one takes its own). */
    static PublicationLedger scaled(PublicationLedger ledger, double factor) {
        return new PublicationLedger() {
            @Override
            public double publicationRhoPerMonth(String city) {
                return ledger.publicationRhoPerMonth(city) * factor;
            }

            @Override
            public boolean chargePublication(String city, java.time.YearMonth month, String releaseId, double rho) {
                return ledger.chargePublication(city, month, releaseId, rho);
            }
        };
    }
}
