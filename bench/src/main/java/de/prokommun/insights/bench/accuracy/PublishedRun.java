package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.CityPolicy;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import de.prokommun.insights.query.audience.AudienceAnswer;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceRequest;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.FilterNormalisation;
import de.prokommun.insights.query.publication.CityBudgetLedger;
import de.prokommun.insights.query.publication.MeasurementPlan;
import de.prokommun.insights.query.publication.Publication;
import de.prokommun.insights.query.publication.PublicationLedger;
import de.prokommun.insights.query.publication.PublicationSchedule;
import de.prokommun.insights.query.publication.PublicationStore;
import de.prokommun.insights.query.publication.PublishedStatistics;
import de.prokommun.insights.query.publication.StatisticsOffice;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One publication made by the service's own code path — {@link StatisticsOffice} counting the cube (here from the
 * in-memory {@link ProfileTable} instead of Pinot), noising every node, making each slice consistent and paying the
 * city-wide accountant — at a chosen cap and number of publications a month, and the workload answered from it by
 * {@link PublishedStatistics}, exactly as the audience service answers a published question.
 */
final class PublishedRun {

    /** The first publication of December 2026 (a 31-day month: N periods of whole days). */
    static final Instant AT = Instant.parse("2026-12-01T08:00:00Z");

    record Result(Publication publication, List<Long> answers, long publishMillis) {}

    private PublishedRun() {}

    /**
     * @param epsilon  the city's cap per resident and month (δ and the ad-hoc share as the city configures them)
     * @param perMonth publications a month: each costs 1/perMonth of the publication share
     * @param prfKey   the noise key; another key is an independent publication
     */
    static Result publishAndAnswer(Path citiesDir, Path workDir, String city, ProfileTable profiles, BigDecimal epsilon,
                                   int perMonth, double audienceFraction, byte[] prfKey, List<AudienceFilter> workload) {
        return publishAndAnswer(citiesDir, workDir, city, profiles, epsilon, perMonth, audienceFraction, prfKey, workload,
                MeasurementPlan.standard());
    }

    /**
     * The same with another choice of measured marginals (the previous hierarchy, candidate weightings).
     *
     * @param audienceFraction the audience cube's fraction of the publication share: the service gives the journey
     *                         figures and the purchase statistics their parts of it and the cube the rest
     */
    static Result publishAndAnswer(Path citiesDir, Path workDir, String city, ProfileTable profiles, BigDecimal epsilon,
                                   int perMonth, double audienceFraction, byte[] prfKey, List<AudienceFilter> workload,
                                   MeasurementPlan plan) {
        PrivacyPolicy policy = withCap(PrivacyPolicy.loadCities(citiesDir), city, epsilon);
        CityCatalog catalog = new CityCatalog(citiesDir);
        CityVocabulary vocabulary = catalog.city(city).orElseThrow(() -> new IllegalArgumentException("no city " + city));
        PublishedStatistics published = new PublishedStatistics(policy);
        StatisticsOffice office = new StatisticsOffice(catalog, profiles, "profiles", published,
                new PublicationStore(workDir.resolve("publications-eps" + epsilon.toPlainString() + "-n" + perMonth
                        + "-f" + audienceFraction
                        + "-" + Integer.toHexString(plan.hashCode()))),
                scaled(new CityBudgetLedger(CityBudget.inMemory(), policy), audienceFraction),
                new PublicationSchedule(perMonth), prfKey,
                Clock.fixed(AT, ZoneOffset.UTC), plan);
        long start = System.nanoTime();
        Publication publication = office.publishIfDue(city).orElseThrow(() -> new IllegalStateException("nothing published"));
        long publishMillis = (System.nanoTime() - start) / 1_000_000;

        Asker asker = new Asker(city, "bench-accuracy", AskerRole.PARTICIPANT);
        BudgetStatus unused = new BudgetStatus(0, 0, AT);
        List<Long> answers = new ArrayList<>(workload.size());
        for (AudienceFilter filter : workload) {
            AudienceRequest request = FilterNormalisation.normalise(new AudienceRequest(filter, Optional.empty()), vocabulary);
            Optional<AudienceAnswer> answer = published.answer(asker, vocabulary, request, "accuracy", () -> unused);
            // Not answerable from the publication, or shown as "weniger als k": no number to compare.
            answers.add(answer.map(a -> a.countCell().value()).orElse(null));
        }
        return new Result(publication, answers, publishMillis);
    }

    /** The ledger as the audience cube sees it in the service: its fraction of the month's publication share. */
    private static PublicationLedger scaled(PublicationLedger ledger, double fraction) {
        return new PublicationLedger() {
            @Override public double publicationRhoPerMonth(String city) {
                return ledger.publicationRhoPerMonth(city) * fraction;
            }

            @Override public boolean chargePublication(String city, java.time.YearMonth month, String id, double rho) {
                return ledger.chargePublication(city, month, id, rho);
            }
        };
    }

    /** The city's policy with another ε cap (same δ, ad-hoc share and accounts). */
    static PrivacyPolicy withCap(PrivacyPolicy policy, String city, BigDecimal epsilon) {
        CityPolicy c = policy.city(city);
        CityBudgetPolicy b = c.cityBudget();
        CityBudgetPolicy capped = new CityBudgetPolicy(epsilon, b.delta(), b.adHocShare(), b.accounts());
        return PrivacyPolicy.of(new CityPolicy(c.city(), c.zone(), c.roles(), capped, c.dominance()));
    }
}
