package de.prokommun.insights.bench.audience;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.ClosedLoop;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.QueryServer;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.testkit.EmbeddedKafka;
import de.prokommun.insights.testkit.PinotCluster;
import de.prokommun.insights.testkit.PinotClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13, item 3: every question the latest publication can answer is answered from memory, free and the same
 * for every asker — p99 ≤ 10 ms at the service at 1M residents. One million profiles in a real Pinot (child JVM),
 * the query service over HTTP with the city's own privacy.json (the city-wide cap enforced), its publisher
 * publishing from Pinot; then distinct publication-answerable audience questions (band-aligned ages, genders,
 * districts, household types, one persona or published interest, recent activity, a district breakdown) from
 * several accounts, one asker at a time (the latency of one answer, which the target is about) and eight at a time
 * (the throughput, where latency is mostly queueing for the two cores). An answer that does not come from the publication counts as failed.
 */
public final class PublicationAnswersBenchmark implements Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIZE = "/api/v1/audiences/size";

    @Override public String name() { return "publication"; }

    @Override public String description() {
        return "audience sizes answered from the published statistics at 1M profiles: latency and throughput at the"
                + " query service (--profiles=1000000 --concurrency=1,8 --duration=30s --accounts=9)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        Duration duration = ctx.durationOption("duration", Duration.ofSeconds(30));
        Duration warmup = ctx.durationOption("warmup", Duration.ofSeconds(10));
        List<Integer> concurrencies = new ArrayList<>();
        for (String c : ctx.option("concurrency", "1,8").split(",")) concurrencies.add(Integer.parseInt(c.trim()));
        if (!concurrencies.stream().allMatch(c -> c == 1 || c == 8)) {
            throw new IllegalArgumentException("--concurrency: figures exist for 1 and 8 askers at a time");
        }
        int profiles = ctx.intOption("profiles", 1_000_000);
        int accounts = ctx.intOption("accounts", 9);
        recorder.parameter("duration", duration.toString());
        recorder.parameter("warmup", warmup.toString());
        recorder.parameter("concurrency", concurrencies.toString());
        recorder.parameter("profiles", profiles);
        recorder.parameter("accounts", accounts);

        Musterstadt city = Musterstadt.load(ctx.citiesDir().resolve(Musterstadt.CITY));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < accounts; i++) keys.add("bench_" + AudienceBenchmark.randomBase64(24));
        Path participants = Files.writeString(ctx.workDir().resolve("participants.json"), participants(keys));
        Path policy = ctx.citiesDir().resolve(Musterstadt.CITY).resolve("privacy.json");

        Settings base = Settings.of(Map.of(PinotClusterConfig.HEAP.name(), ctx.option("pinot.heap", "2g")));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(ctx.workDir().resolve("kafka"));
             PinotCluster pinot = AudienceBenchmark.startPinot(ctx, kafka, base, 2)) {
            long t0 = System.nanoTime();
            new ProfilePopulation(city).write(kafka.bootstrapServers(), Topics.PROFILES.name(base), 0, profiles, 4711L);
            AudienceBenchmark.awaitRows(pinot, profiles, Duration.ofMinutes(20));
            recorder.note(String.format("%,d profiles written and queryable in Pinot after %.0f s.", profiles,
                    (System.nanoTime() - t0) / 1e9));
            Settings settings = base.with(serviceSettings(ctx, pinot, participants, policy));
            Vertx serverVertx = Vertx.vertx();
            Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
            try {
                long deployed = System.nanoTime();
                int port = QueryServer.deploy(serverVertx, settings).await(60, TimeUnit.SECONDS);
                HttpClientAgent service = AudienceBenchmark.client(clientVertx, "127.0.0.1", port,
                        concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1));
                awaitPublication(service, keys.get(0), Duration.ofMinutes(20));
                recorder.note(String.format("The publisher's first publication (from the %,d profiles in Pinot) was"
                        + " served %.0f s after the service started.", profiles, (System.nanoTime() - deployed) / 1e9));
                JsonObject dimensions = get(service, keys.get(0), "/api/v1/audiences/dimensions");
                List<String> questions = PublishedQuestions.generate(dimensions, ctx.intOption("questions", 20_000), 20261205L);
                for (int run = 0; run < ctx.runs(); run++) {
                    Map<String, Double> figures = new LinkedHashMap<>();
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("profiles", profiles);
                    for (int concurrency : concurrencies) {
                        ClosedLoop loop = new ClosedLoop(concurrency);
                        if (run == 0) loop.run(warmup, i -> ask(service, keys.get((int) (i % keys.size())), questions.get((int) (i % questions.size()))));
                        ClosedLoop.Result r = loop.run(duration,
                                i -> ask(service, keys.get((int) (i % keys.size())), questions.get((int) (i % questions.size()))));
                        String prefix = "publication.1m.c" + concurrency;
                        figures.put(prefix + ".p50_ms", r.p50Millis());
                        figures.put(prefix + ".p99_ms", r.p99Millis());
                        figures.put(prefix + ".queries_per_s", r.perSecond());
                        details.put("c" + concurrency + ".answered", r.ok());
                        details.put("c" + concurrency + ".failedOrNotFromThePublication", r.failed());
                        if (r.firstError() != null) details.put("c" + concurrency + ".firstError", r.firstError());
                    }
                    recorder.run(figures, details);
                }
                service.close().await();
            } finally {
                clientVertx.close().await();
                serverVertx.close().await();
            }
        }
        recorder.note("Distinct questions that the publication answers (band-aligned age ranges, genders, districts,"
                + " household types, at most one persona or published interest, recent activity, sometimes a district"
                + " breakdown), asked in turn by " + accounts + " accounts (an operator and participants) under the"
                + " city's own privacy.json with the city-wide cap enforced; an answer not from the publication, or not"
                + " 200, counts as failed. Every request is authenticated, validated, normalised and summed from the"
                + " published cells. Kafka, Pinot (child JVM), the query service and the load generator"
                + " share the machine's two cores.");
    }

    private static Map<String, String> serviceSettings(BenchContext ctx, PinotCluster pinot, Path participants,
                                                       Path policy) {
        Path query = ctx.workDir().resolve("query");
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CommonConfig.PINOT_BROKER.name(), pinot.brokerHostPort());
        values.put(QueryConfig.PARTICIPANTS_FILE.name(), participants.toString());
        values.put(QueryConfig.CITIES_DIR.name(), ctx.citiesDir().toString());
        values.put(QueryConfig.PRIVACY_POLICY_FILE.name(), policy.toString());
        values.put(QueryConfig.PRF_KEY.name(), AudienceBenchmark.randomBase64(32));
        values.put(QueryConfig.AUDIT_LOG.name(), query.resolve("audit.log").toString());
        values.put(QueryConfig.BUDGET_LEDGER.name(), query.resolve("ledger.log").toString());
        values.put(QueryConfig.CITY_BUDGET.name(), query.resolve("city-budget.jsonl").toString());
        values.put(QueryConfig.PUBLICATION_DIR.name(), query.resolve("publications").toString());
        values.put(QueryConfig.PUBLICATION_CHECK_INTERVAL.name(), "PT10S");
        // The benchmark writes profiles only: purchase and journey statistics would be published from empty tables.
        values.put(QueryConfig.PURCHASE_PUBLICATION_ENABLED.name(), "false");
        values.put(QueryConfig.JOURNEY_PUBLICATION_ENABLED.name(), "false");
        return values;
    }

    private static void awaitPublication(HttpClientAgent service, String key, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            last = ask(service, key, "{\"filter\": {}}").toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (last == null) return;
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("no publication served after " + timeout + "; last answer: " + last);
    }

    private static JsonObject get(HttpClientAgent client, String key, String uri) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri)
                .putHeader("Authorization", "Bearer " + key);
        Buffer body = client.request(o).compose(r -> r.send()).compose(r -> r.body())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return body.toJsonObject();
    }

    /** Completes with null for a 200 from the publication, else with what went wrong. */
    private static Future<String> ask(HttpClientAgent client, String key, String body) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI(SIZE)
                .putHeader("Authorization", "Bearer " + key).putHeader("Content-Type", "application/json");
        return client.request(o).compose(r -> r.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(answer -> {
                    if (resp.statusCode() != 200) return "HTTP " + resp.statusCode() + " " + AudienceBenchmark.abbreviate(answer.toString());
                    JsonObject source = answer.toJsonObject().getJsonObject("source");
                    return source != null && "publication".equals(source.getString("kind")) ? null
                            : "not from the publication: " + body + " → " + AudienceBenchmark.abbreviate(answer.toString());
                }));
    }

    /** An operator and participants of the city's catalogue (as the dashboards ask). */
    private static String participants(List<String> keys) {
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < keys.size(); i++) {
            list.addObject().put("id", i == 0 ? "stadtmarketing" : "bench-teilnehmer-" + i).put("city", Musterstadt.CITY)
                    .put("role", i == 0 ? "OPERATOR" : "PARTICIPANT")
                    .put("apiKeySha256", ParticipantDirectory.digest(keys.get(i)));
        }
        return list.toString();
    }
}
