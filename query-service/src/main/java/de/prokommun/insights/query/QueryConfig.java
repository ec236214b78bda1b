package de.prokommun.insights.query;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Every configuration key of the query service (the Pinot broker's location comes from {@link CommonConfig}). */
public final class QueryConfig {
    private QueryConfig() {}

    public static final ConfigKey<String> HOST = ConfigKey.string("query.http.host", "127.0.0.1",
            "Interface the query API binds to");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("query.http.port", 0,
            "Port of the query API; 0 picks a free port (local mode, tests)");
    /** Declared in {@link CommonConfig}: ingestion reads the same directory. */
    public static final ConfigKey<String> PARTICIPANTS_FILE = CommonConfig.PARTICIPANTS_FILE;
    /** Declared in {@link CommonConfig}: every component reads the same city configuration. */
    public static final ConfigKey<String> CITIES_DIR = CommonConfig.CITIES_DIR;
    public static final ConfigKey<String> PRIVACY_POLICY_FILE = ConfigKey.string("query.privacy.policy.file", null,
            "One city's disclosure-control policy (privacy.json: epsilon per question, budgets, minimum cell"
                    + " size); if unset, every <cities dir>/<city>/privacy.json is loaded");
    public static final ConfigKey<String> PRF_KEY = ConfigKey.secret("query.privacy.prf-key", null,
            "Secret key seeding the noise of released counts (same question, same data, same answer)");
    public static final ConfigKey<String> AUDIT_LOG = ConfigKey.string("query.privacy.audit-log",
            "data/query/audit.log", "Append-only audit log of every question asked");
    public static final ConfigKey<String> BUDGET_LEDGER = ConfigKey.string("query.privacy.budget-ledger",
            "data/query/budget-ledger.log", "File keeping the privacy budget spent per asker and period");
    public static final ConfigKey<Duration> DATA_VERSION_PERIOD = ConfigKey.duration("query.data-version.period",
            Duration.ofMinutes(1),
            "Length of one data version: within it the same question gets the identical released answer");
    public static final ConfigKey<Integer> MAX_BODY_BYTES = ConfigKey.integer("query.request.max-body-bytes",
            16 * 1024, "Largest accepted request body; larger bodies get 413");
    public static final ConfigKey<Integer> MAX_VALUES_PER_DIMENSION = ConfigKey.integer(
            "query.request.max-values-per-dimension", 50,
            "Most values one filter dimension may list; more are rejected with 400");
    public static final ConfigKey<Duration> PINOT_TIMEOUT = ConfigKey.duration("query.pinot.timeout",
            Duration.ofSeconds(10), "How long one Pinot query may take before the request fails with 503");

    public static final ConfigKey<String> CITY_BUDGET = ConfigKey.string("query.privacy.city-budget",
            "data/query/city-budget.log",
            "Journal of the city-wide privacy accountant (ρ spent per city and month by publications and ad-hoc"
                    + " questions); replayed at start, so a restart never pays twice");
    public static final ConfigKey<Boolean> CITY_BUDGET_ENFORCED = ConfigKey.bool("query.privacy.city-budget.enforced",
            true, "Ad-hoc questions pay from the city-wide monthly cap per resident (the guarantee of docs/PRIVACY.md);"
                    + " false limits them by the per-account budgets only and is meant solely for tests of the"
                    + " per-question mechanism with large ε. Publications always pay from the cap");
    public static final ConfigKey<Boolean> AUDIT_INGESTION_REFUSALS = ConfigKey.bool("query.audit.ingestion-refusals",
            true, "Read ingestion's refused requests (topic ingestion-refusals) into this service's audit log, so the"
                    + " operator's GET /api/v1/audit/refusals lists them too (needs kafka.bootstrap.servers; issue 15)");
    public static final ConfigKey<String> AUDIT_INGESTION_REFUSALS_GROUP = ConfigKey.string(
            "query.audit.ingestion-refusals.group", "prokommun-query-refusal-audit",
            "Kafka consumer group of that feed; each instance of the query service keeps its own audit log and needs a"
                    + " group of its own to see every refusal");
    public static final ConfigKey<String> PUBLICATION_DIR = ConfigKey.string("query.publication.dir",
            "data/query/publications",
            "Directory of each city's latest published statistics (<city>.json, noisy cells only); a restart serves"
                    + " them again without paying");
    /**
     * 1 by default: the audience accuracy goals of issue 13 (≥ 500 residents p95 ≤ 10 %) hold at the default cap with
     * the default split of the publication share only at one publication a month (docs/BENCHMARKS.md, "Accuracy of
     * the published figures"; 4 a month: p95 19.5 %).
     */
    public static final ConfigKey<Integer> PUBLICATIONS_PER_MONTH = ConfigKey.integer("query.publication.per-month", 1,
            "Publications per city and calendar month (the month is cut into this many periods of whole days);"
                    + " the noise of each is chosen so that this many fit the city's publication share. 1 meets the"
                    + " audience accuracy goals at the default cap (docs/BENCHMARKS.md); more are fresher and noisier");
    public static final ConfigKey<Duration> CAMPAIGN_SCHEDULE_INTERVAL = ConfigKey.duration(
            "query.campaign.schedule-interval", Duration.ofSeconds(30),
            "How often the service starts campaigns whose validity began and ends those whose validity ended (issue 18)");
    public static final ConfigKey<Duration> PUBLICATION_CHECK_INTERVAL = ConfigKey.duration(
            "query.publication.check-interval", Duration.ofMinutes(15),
            "How often the publisher checks whether a new publication period (or month) began");
    public static final ConfigKey<Duration> PUBLICATION_CURRENT_WITHIN = ConfigKey.duration(
            "query.publication.current-within", Duration.ofDays(2),
            "A due publication waits until the city's profiles are current: their latest activity day at most this"
                    + " long before today (a publication made while history or a backfill is still loading would"
                    + " serve a half-empty city for its whole period)");
    public static final ConfigKey<Duration> PUBLICATION_MAX_WAIT = ConfigKey.duration(
            "query.publication.max-wait", Duration.ofHours(6),
            "How long a due publication waits for current profiles at most before it is made anyway; 0 never waits");
    public static final ConfigKey<Boolean> PUBLICATION_ENABLED = ConfigKey.bool("query.publication.enabled", true,
            "Publish statistics and answer audience questions from them; false answers every question ad hoc");

    public static final ConfigKey<Boolean> PURCHASE_PUBLICATION_ENABLED = ConfigKey.bool(
            "query.publication.purchases.enabled", true,
            "Publish the purchase statistics (buyers per category, customers per participant) with every publication"
                    + " and answer insights questions from them; false leaves the whole publication share to the"
                    + " audience cube and every insights question ad hoc");
    public static final ConfigKey<Double> PURCHASE_PUBLICATION_SHARE = ConfigKey.decimal(
            "query.publication.purchases.share", 0.5,
            "Fraction (between 0 and 1) of the city's publication share that the purchase statistics spend; the"
                    + " audience cube spends the rest");
    public static final ConfigKey<Double> PURCHASE_PUBLICATION_AGE_BAND_SHARE = ConfigKey.decimal(
            "query.publication.purchases.age-band-share", 0.75,
            "Fraction (at least 0, below 1) of the purchase statistics' ρ that the buyers slice category × age band ×"
                    + " year spends (measured once more with its own noise, Δ² = categories × years); 0 publishes no"
                    + " slice and leaves everything to the segmented figures. 0.75 is the smallest measured share that"
                    + " meets the goal for category buyers by age band per year (docs/BENCHMARKS.md; the other purchase"
                    + " figures pay with twice the noise variance of 0.5; docs/PRIVACY.md section 20)");
    public static final ConfigKey<Integer> PURCHASE_PUBLICATION_MONTHS = ConfigKey.integer(
            "query.publication.purchases.months", 2,
            "Months of buyers and customers each publication releases (the current one and those before it); every"
                    + " month adds to the noise of every published figure");
    public static final ConfigKey<Integer> PURCHASE_PUBLICATION_YEARS = ConfigKey.integer(
            "query.publication.purchases.years", 4,
            "Years of buyers each publication releases (the current one and those before it); every year adds to"
                    + " the noise of every published figure");

    public static final ConfigKey<Boolean> JOURNEY_PUBLICATION_ENABLED = ConfigKey.bool(
            "query.publication.journey.enabled", true,
            "Publish the journey and voucher figures (cross-shopping, flows, first visits, when-where, vouchers; city"
                    + " level, per month) with every publication and answer journey questions from them (free, the"
                    + " journey widgets cost no account anything); false leaves the whole publication share to the"
                    + " audience cube and the purchase statistics (about 12 % less noise there) and every journey"
                    + " question ad hoc, paid from the ad-hoc share (docs/PRIVACY.md section 21)");
    public static final ConfigKey<Double> JOURNEY_PUBLICATION_SHARE = ConfigKey.decimal(
            "query.publication.journey.share", 0.2,
            "Fraction (between 0 and 1) of the city's publication share that the journey and voucher figures spend;"
                    + " the audience cube and the purchase statistics divide the rest (docs/PRIVACY.md section 21)");
    public static final ConfigKey<Integer> JOURNEY_PUBLICATION_MONTHS = ConfigKey.integer(
            "query.publication.journey.months", 2,
            "Months of journey and voucher figures each publication releases (the current one and those before it);"
                    + " every month adds to the noise of every published journey figure");

    public static final ConfigKey<String> CLOCK_START = ConfigKey.string("query.clock.start", "",
            "Instant (ISO-8601, e.g. 2017-12-31T11:00:00Z) at which the service's clock starts and from which it runs"
                    + " on: for replaying a historical data set (the local mode's Complete Journey demo, whose data end in"
                    + " 2017), where 'today', data versions and budget days must be those of the data; empty = the system clock");

    public static List<ConfigKey<?>> all() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(CommonConfig.PINOT_BROKER));
        keys.addAll(List.of(HOST, PORT, PARTICIPANTS_FILE, CITIES_DIR, PRIVACY_POLICY_FILE, PRF_KEY, AUDIT_LOG,
                BUDGET_LEDGER, DATA_VERSION_PERIOD, MAX_BODY_BYTES, MAX_VALUES_PER_DIMENSION, PINOT_TIMEOUT, CITY_BUDGET, CITY_BUDGET_ENFORCED,
                PUBLICATION_DIR, PUBLICATIONS_PER_MONTH, PUBLICATION_CHECK_INTERVAL, PUBLICATION_CURRENT_WITHIN,
                PUBLICATION_MAX_WAIT, PUBLICATION_ENABLED,
                PURCHASE_PUBLICATION_ENABLED, PURCHASE_PUBLICATION_SHARE, PURCHASE_PUBLICATION_AGE_BAND_SHARE,
                PURCHASE_PUBLICATION_MONTHS,
                PURCHASE_PUBLICATION_YEARS, JOURNEY_PUBLICATION_ENABLED, JOURNEY_PUBLICATION_SHARE,
                JOURNEY_PUBLICATION_MONTHS, CLOCK_START, AUDIT_INGESTION_REFUSALS, AUDIT_INGESTION_REFUSALS_GROUP,
                CAMPAIGN_SCHEDULE_INTERVAL));
        return List.copyOf(keys);
    }
}
