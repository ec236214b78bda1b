package de.prokommun.insights.query;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigException;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.query.api.QueryVerticle;
import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.DataVersion;
import de.prokommun.insights.query.insights.InsightsService;
import de.prokommun.insights.query.journey.JourneyService;
import de.prokommun.insights.query.journey.ParticipantCatalogue;
import de.prokommun.insights.privacy.SumClamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.query.audience.PublishedFigures;
import de.prokommun.insights.query.publication.CityBudgetLedger;
import de.prokommun.insights.query.publication.PublicationSchedule;
import de.prokommun.insights.query.publication.PublicationStore;
import de.prokommun.insights.query.insights.PublishedInsights;
import de.prokommun.insights.query.publication.PublishedInsightAnswers;
import de.prokommun.insights.query.publication.PublishedPurchases;
import de.prokommun.insights.query.publication.PublishedStatistics;
import de.prokommun.insights.query.publication.PurchaseStatistics;
import de.prokommun.insights.query.publication.PurchaseStore;
import de.prokommun.insights.query.publication.PublicationGate;
import de.prokommun.insights.query.publication.Publisher;
import de.prokommun.insights.query.publication.StatisticsOffice;
import de.prokommun.insights.query.publication.TrueCube;
import io.vertx.core.VerticleBase;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import de.prokommun.insights.query.pinot.PinotGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the query service from configuration: in-process for the local mode, or on its own via {@link #main}. */
public final class QueryServer {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private static final int MIN_PRF_KEY_BYTES = 32;

    private QueryServer() {}

    /** Deploys the query API into the given Vert.x and completes with the port it listens on. */
    public static Future<Integer> deploy(Vertx vertx, Settings settings) {
        QueryVerticle verticle;
        try {
            verticle = create(settings, clockOf(settings));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return vertx.deployVerticle(verticle).compose(id -> {
            LOG.info("Query API listening on {}:{}", settings.get(QueryConfig.HOST), verticle.actualPort());
            String url = "http://" + settings.get(QueryConfig.HOST) + ":" + verticle.actualPort();
            // The dashboards' live hub and health monitor belong to every deployment, not only the local mode.
            return de.prokommun.insights.query.web.DashboardSupport.deploy(vertx, settings, url)
                    .map(ignored -> verticle.actualPort());
        });
    }

    /** The system clock, or one that started at {@link QueryConfig#CLOCK_START} and runs on from there. */
    static Clock clockOf(Settings settings) {
        String start = settings.get(QueryConfig.CLOCK_START);
        if (start == null || start.isBlank()) return Clock.systemUTC();
        Instant at;
        try {
            at = Instant.parse(start.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(QueryConfig.CLOCK_START.name() + ": not an ISO-8601 instant: '" + start + "'");
        }
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    /** The verticle with every dependency built from the settings (not yet deployed). */
    public static QueryVerticle create(Settings settings, Clock clock) {
        LOG.info("Query service configuration:\n{}", settings.describe(QueryConfig.all()));
        ParticipantDirectory directory = ParticipantDirectory.load(existing(settings, QueryConfig.PARTICIPANTS_FILE));
        Path citiesDir = Path.of(settings.get(QueryConfig.CITIES_DIR));
        // One catalogue of the city files for every service and the publisher (read once per city, kept).
        CityCatalog catalog = new CityCatalog(citiesDir);
        PrivacyPolicy policy = settings.isSet(QueryConfig.PRIVACY_POLICY_FILE)
                ? PrivacyPolicy.of(PrivacyPolicy.load(existing(settings, QueryConfig.PRIVACY_POLICY_FILE)))
                : PrivacyPolicy.loadCities(citiesDir);
        PinotGateway pinot = PinotGateway.connect(settings.get(CommonConfig.PINOT_BROKER),
                settings.get(QueryConfig.PINOT_TIMEOUT));
        BudgetLedger ledger = BudgetLedger.persistent(parentCreated(settings.get(QueryConfig.BUDGET_LEDGER)));
        AuditLog audit = AuditLog.toFile(parentCreated(settings.get(QueryConfig.AUDIT_LOG)));
        // One city-wide accountant for everything released: ad-hoc questions of every account (through the
        // disclosure control) and the publications (through the publisher) pay from the same monthly cap.
        CityBudget cityBudget = CityBudget.persistent(parentCreated(settings.get(QueryConfig.CITY_BUDGET)));
        boolean enforced = settings.get(QueryConfig.CITY_BUDGET_ENFORCED);
        if (!enforced) LOG.warn("{} is false: ad-hoc questions do not pay from the city-wide cap; the per-resident"
                + " guarantee does not hold (tests only)", QueryConfig.CITY_BUDGET_ENFORCED.name());
        DisclosureControl disclosure = new DisclosureControl(policy, ledger, enforced ? cityBudget : null, audit,
                prfKey(settings), clock);
        PublishedStatistics published = new PublishedStatistics(policy);
        PublishedPurchases publishedPurchases = new PublishedPurchases();
        de.prokommun.insights.query.publication.PublishedJourney publishedJourney =
                new de.prokommun.insights.query.publication.PublishedJourney();
        ParticipantCatalogue participants = new ParticipantCatalogue(citiesDir, city -> directory
                .members(city, de.prokommun.insights.participants.Role.PARTICIPANT).stream()
                .map(de.prokommun.insights.participants.Participant::id)
                .collect(java.util.stream.Collectors.toSet()));
        List<VerticleBase> companions = new ArrayList<>();
        // ingestion's refusals (issue 15) join this service's own in the operator's audit of refusals
        de.prokommun.insights.query.audit.IngestionRefusalFeed ingestionRefusals =
                de.prokommun.insights.query.audit.IngestionRefusalFeed.of(settings, audit);
        if (ingestionRefusals != null) companions.add(ingestionRefusals);
        if (settings.get(QueryConfig.PUBLICATION_ENABLED)) companions.add(publisher(settings, citiesDir, catalog, policy, pinot,
                cityBudget, published, publishedPurchases, publishedJourney, participants, clock));
        // Business confidentiality of the ad-hoc path: a category one seller dominates is its seller's figure.
        de.prokommun.insights.query.insights.CategorySellers sellers = new de.prokommun.insights.query.insights.CategorySellers(
                pinot, PinotTables.CONTRIBUTIONS.name(), city -> policy.city(city).dominance());
        AudienceService audiences = new AudienceService(catalog, pinot, disclosure,
                new DataVersion(clock, settings.get(QueryConfig.DATA_VERSION_PERIOD)), PinotTables.PROFILES.name(),
                settings.get(QueryConfig.MAX_VALUES_PER_DIMENSION),
                settings.get(QueryConfig.PUBLICATION_ENABLED) ? published : PublishedFigures.NONE, sellers);
        InsightsService insights = new InsightsService(catalog, pinot, pinot, disclosure, policy,
                clampsOf(settings, citiesDir), new DataVersion(clock, settings.get(QueryConfig.DATA_VERSION_PERIOD)),
                PinotTables.PROFILES.name(), PinotTables.CONTRIBUTIONS.name(),
                settings.get(QueryConfig.MAX_VALUES_PER_DIMENSION),
                settings.get(QueryConfig.PUBLICATION_ENABLED) && settings.get(QueryConfig.PURCHASE_PUBLICATION_ENABLED)
                        ? new PublishedInsightAnswers(publishedPurchases, published) : PublishedInsights.NONE, sellers);
        JourneyService journeys = new JourneyService(catalog, participants, pinot,
                pinot, disclosure, policy, clampsOf(settings, citiesDir),
                new DataVersion(clock, settings.get(QueryConfig.DATA_VERSION_PERIOD)), PinotTables.PROFILES.name(),
                PinotTables.CONTRIBUTIONS.name(), settings.get(QueryConfig.MAX_VALUES_PER_DIMENSION),
                settings.get(QueryConfig.PUBLICATION_ENABLED) && settings.get(QueryConfig.JOURNEY_PUBLICATION_ENABLED)
                        ? new de.prokommun.insights.query.publication.PublishedJourneyAnswers(publishedJourney, published)
                        : de.prokommun.insights.query.journey.PublishedJourneys.NONE, sellers);
        // Campaigns (issue 18) live in the compacted topic campaigns: without Kafka there are none to serve.
        de.prokommun.insights.query.campaign.CampaignService campaigns = null;
        de.prokommun.insights.query.campaign.CampaignWriter campaignWriter = null;
        if (settings.isSet(CommonConfig.KAFKA_BOOTSTRAP)) {
            de.prokommun.insights.query.campaign.CampaignBook book = new de.prokommun.insights.query.campaign.CampaignBook();
            companions.add(de.prokommun.insights.query.campaign.CampaignFeed.of(settings, book));
            campaignWriter = de.prokommun.insights.query.campaign.CampaignWriter.kafka(settings);
            campaigns = new de.prokommun.insights.query.campaign.CampaignService(book, campaignWriter, audiences,
                    insights, settings.get(QueryConfig.MAX_VALUES_PER_DIMENSION), clock);
            companions.add(new de.prokommun.insights.query.campaign.CampaignSchedule(campaigns,
                    settings.get(QueryConfig.CAMPAIGN_SCHEDULE_INTERVAL)));
        } else {
            LOG.warn("{} unset: the campaign routes are not served", CommonConfig.KAFKA_BOOTSTRAP.name());
        }
        AutoCloseable closeWriter = campaignWriter == null ? () -> { } : campaignWriter;
        QueryVerticle.Listen listen = new QueryVerticle.Listen(settings.get(QueryConfig.HOST),
                settings.get(QueryConfig.PORT), settings.get(QueryConfig.MAX_BODY_BYTES));
        return new QueryVerticle(directory, audiences, insights, journeys, listen, clock, companions, () -> {
            pinot.close();
            ledger.close();
            audit.close();
            cityBudget.close();
            closeWriter.close();
        }).auditingRefusals(new de.prokommun.insights.query.audit.RefusalAudit(audit, directory, clock),
                new de.prokommun.insights.query.audit.RefusalsView(audit, directory, clock)).withCampaigns(campaigns);
    }

    /** The publisher of every configured city's statistics, paid from the city-wide accountant. */
    private static Publisher publisher(Settings settings, Path citiesDir, CityCatalog catalog, PrivacyPolicy policy,
                                       PinotGateway pinot,
                                       CityBudget cityBudget, PublishedStatistics published,
                                       PublishedPurchases publishedPurchases,
                                       de.prokommun.insights.query.publication.PublishedJourney publishedJourney,
                                       ParticipantCatalogue participants, Clock clock) {
        List<String> cities = policy.cities().stream().filter(c -> catalog.city(c).isPresent()).sorted().toList();
        Path dir = Path.of(settings.get(QueryConfig.PUBLICATION_DIR));
        PurchaseStatistics purchases = settings.get(QueryConfig.PURCHASE_PUBLICATION_ENABLED)
                ? new PurchaseStatistics(pinot, PinotTables.CONTRIBUTIONS.name(), PinotTables.PROFILES.name(),
                        publishedPurchases, new PurchaseStore(dir), city -> purchaseSubjects(participants, city),
                        settings.get(QueryConfig.PURCHASE_PUBLICATION_MONTHS),
                        settings.get(QueryConfig.PURCHASE_PUBLICATION_YEARS),
                        settings.get(QueryConfig.PURCHASE_PUBLICATION_SHARE), city -> policy.city(city).dominance(),
                        settings.get(QueryConfig.PURCHASE_PUBLICATION_AGE_BAND_SHARE))
                : null;
        // The journey figures take their share of the publication share first; the audience cube and the purchase
        // statistics divide the rest as before (docs/PRIVACY.md section 21).
        de.prokommun.insights.query.publication.JourneyStatistics journey =
                settings.get(QueryConfig.JOURNEY_PUBLICATION_ENABLED)
                        ? new de.prokommun.insights.query.publication.JourneyStatistics(pinot,
                                PinotTables.CONTRIBUTIONS.name(), publishedJourney,
                                new de.prokommun.insights.query.publication.JourneyStore(dir),
                                city -> new de.prokommun.insights.query.publication.JourneyStatistics.Catalogue(
                                        participants.city(city).participants(), participants.city(city).employers()),
                                clampsOf(settings, citiesDir), settings.get(QueryConfig.JOURNEY_PUBLICATION_MONTHS),
                                settings.get(QueryConfig.JOURNEY_PUBLICATION_SHARE))
                        : null;
        StatisticsOffice office = new StatisticsOffice(catalog, pinot, PinotTables.PROFILES.name(), published,
                new PublicationStore(dir), new CityBudgetLedger(cityBudget, policy),
                new PublicationSchedule(settings.get(QueryConfig.PUBLICATIONS_PER_MONTH)), prfKey(settings), clock,
                purchases, journey);
        PublicationGate gate = new PublicationGate(TrueCube.latestActivity(pinot, PinotTables.PROFILES.name()),
                settings.get(QueryConfig.PUBLICATION_CURRENT_WITHIN), settings.get(QueryConfig.PUBLICATION_MAX_WAIT),
                clock, city -> catalog.city(city).orElseThrow().timeZone());
        return new Publisher(office, cities, settings.get(QueryConfig.PUBLICATION_CHECK_INTERVAL), gate);
    }


    /** The participants whose customers are published: the city's catalogue and its registered participants. */
    private static List<String> purchaseSubjects(ParticipantCatalogue participants, String city) {
        ParticipantCatalogue.CityParticipants p = participants.city(city);
        java.util.SortedSet<String> all = new java.util.TreeSet<>(p.participants());
        all.addAll(p.registered());
        return List.copyOf(all);
    }

    /**
     * The per-person clamps of each city's sums, from the same privacy.json as the policy (the ledger clamps
     * with the same values).
     */
    static Function<String, SumClamps> clampsOf(Settings settings, Path citiesDir) {
        if (settings.isSet(QueryConfig.PRIVACY_POLICY_FILE)) {
            SumClamps one = SumClamps.load(existing(settings, QueryConfig.PRIVACY_POLICY_FILE));
            return city -> one;
        }
        Map<String, SumClamps> cache = new ConcurrentHashMap<>();
        return city -> cache.computeIfAbsent(city, c -> SumClamps.ofCity(citiesDir, c));
    }

    /** The PRF key is base64 (standard or URL alphabet) of at least 32 random bytes. */
    public static byte[] prfKey(Settings settings) {
        String raw = settings.get(QueryConfig.PRF_KEY).trim();
        byte[] key;
        try {
            key = raw.contains("+") || raw.contains("/") ? Base64.getDecoder().decode(raw)
                    : Base64.getUrlDecoder().decode(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(QueryConfig.PRF_KEY.name(), "must be base64");
        }
        if (key.length < MIN_PRF_KEY_BYTES) {
            throw new ConfigException(QueryConfig.PRF_KEY.name(), "must hold at least " + MIN_PRF_KEY_BYTES + " bytes");
        }
        return key;
    }

    private static Path existing(Settings settings, de.prokommun.insights.config.ConfigKey<String> key) {
        Path file = Path.of(settings.get(key));
        if (!Files.isRegularFile(file)) throw new ConfigException(key.name(), "file " + file.toAbsolutePath() + " does not exist");
        return file;
    }

    private static Path parentCreated(String file) {
        Path path = Path.of(file).toAbsolutePath();
        try {
            Files.createDirectories(path.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + path.getParent(), e);
        }
        return path;
    }

    public static void main(String[] args) throws InterruptedException {
        Settings settings = args.length > 0 ? Settings.fromFile(Path.of(args[0])) : Settings.fromEnvironment();
        Vertx vertx = Vertx.vertx();
        CountDownLatch stopped = new CountDownLatch(1);
        deploy(vertx, settings).onFailure(e -> {
            LOG.error("query service failed to start", e);
            vertx.close().onComplete(x -> System.exit(1));
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            stopped.countDown();
        }, "query-service-stop"));
        stopped.await();
    }
}
