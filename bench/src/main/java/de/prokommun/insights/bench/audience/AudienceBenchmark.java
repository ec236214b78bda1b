package de.prokommun.insights.bench.audience;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.ClosedLoop;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
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
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Audience size at 100k and 1M profiles: embedded Kafka, real Pinot (child JVM) consuming the profiles
 * topic, the query service over HTTP. Distinct questions at a fixed concurrency, once through the query
 * service (authentication, validation, Pinot, disclosure control: noise, budget, audit) and once as the
 * same SQL straight to the Pinot broker, so the privacy layer's cost shows as the difference.
 */
public final class AudienceBenchmark implements Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override public String name() { return "audience"; }

    @Override public String description() {
        return "audience-size latency/throughput at 100k and 1M profiles, with and without the privacy layer (--concurrency=8 --duration=30s)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        Duration duration = ctx.durationOption("duration", Duration.ofSeconds(30));
        Duration warmup = ctx.durationOption("warmup", Duration.ofSeconds(10));
        int concurrency = ctx.intOption("concurrency", 8);
        int partitions = ctx.intOption("partitions", 2);
        List<Integer> sizes = new ArrayList<>();
        for (String s : ctx.option("sizes", "100000,1000000").split(",")) sizes.add(Integer.parseInt(s.trim().replace("_", "")));
        recorder.parameter("duration", duration.toString());
        recorder.parameter("warmup", warmup.toString());
        recorder.parameter("concurrency", concurrency);
        recorder.parameter("partitions", partitions);

        Musterstadt city = Musterstadt.load(ctx.citiesDir().resolve(Musterstadt.CITY));
        List<AudienceQuestions.Question> questions = AudienceQuestions.generate(city, ctx.intOption("questions", 100_000), 20261129L);
        String operatorKey = "bench_" + randomBase64(24);
        Path participants = Files.writeString(ctx.workDir().resolve("participants.json"), participants(operatorKey));
        Path policy = Files.writeString(ctx.workDir().resolve("privacy-bench.json"), policy());

        Settings base = Settings.of(Map.of(PinotClusterConfig.HEAP.name(), ctx.option("pinot.heap", "2g")));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(ctx.workDir().resolve("kafka"));
             PinotCluster pinot = startPinot(ctx, kafka, base, partitions)) {
            Settings settings = base.with(Map.of(
                    CommonConfig.PINOT_BROKER.name(), pinot.brokerHostPort(),
                    QueryConfig.PARTICIPANTS_FILE.name(), participants.toString(),
                    QueryConfig.CITIES_DIR.name(), ctx.citiesDir().toString(),
                    QueryConfig.PRIVACY_POLICY_FILE.name(), policy.toString(),
                    QueryConfig.PRF_KEY.name(), randomBase64(32),
                    QueryConfig.AUDIT_LOG.name(), ctx.workDir().resolve("query/audit.log").toString(),
                    QueryConfig.BUDGET_LEDGER.name(), ctx.workDir().resolve("query/ledger.log").toString()));
            Vertx serverVertx = Vertx.vertx();
            Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
            try {
                int port = QueryServer.deploy(serverVertx, settings).await(60, TimeUnit.SECONDS);
                HttpClientAgent service = client(clientVertx, "127.0.0.1", port, concurrency);
                String[] broker = pinot.brokerHostPort().split(":");
                HttpClientAgent brokerClient = client(clientVertx, broker[0], Integer.parseInt(broker[1]), concurrency);
                ProfilePopulation population = new ProfilePopulation(city);
                String topic = Topics.PROFILES.name(base);
                int loaded = 0;
                for (int size : sizes) {
                    long t0 = System.nanoTime();
                    population.write(kafka.bootstrapServers(), topic, loaded, size, 4711L);
                    loaded = size;
                    awaitRows(pinot, size, Duration.ofMinutes(15));
                    recorder.note(String.format("%,d profiles written and queryable in Pinot after %.0f s.", size, (System.nanoTime() - t0) / 1e9));
                    String label = size >= 1_000_000 ? "1m" : size == 100_000 ? "100k" : null;
                    if (label == null) throw new IllegalArgumentException("--sizes: figures exist for 100000 and 1000000 only");
                    ClosedLoop loop = new ClosedLoop(concurrency);
                    loop.run(warmup, i -> ask(service, operatorKey, questions.get((int) (i % questions.size()))));
                    loop.run(warmup, i -> direct(brokerClient, questions.get((int) (i % questions.size()))));
                    for (int run = 0; run < ctx.runs(); run++) {
                        ClosedLoop.Result viaService = loop.run(duration, i -> ask(service, operatorKey, questions.get((int) (i % questions.size()))));
                        ClosedLoop.Result viaPinot = loop.run(duration, i -> direct(brokerClient, questions.get((int) (i % questions.size()))));
                        Map<String, Double> figures = new LinkedHashMap<>();
                        put(figures, "audience." + label + ".service", viaService);
                        put(figures, "audience." + label + ".pinot", viaPinot);
                        Map<String, Object> details = new LinkedHashMap<>();
                        details.put("profiles", size);
                        details.put("serviceFailed", viaService.failed());
                        details.put("pinotFailed", viaPinot.failed());
                        if (viaService.firstError() != null) details.put("serviceFirstError", viaService.firstError());
                        if (viaPinot.firstError() != null) details.put("pinotFirstError", viaPinot.firstError());
                        recorder.run(figures, details);
                    }
                }
                service.close().await();
                brokerClient.close().await();
            } finally {
                clientVertx.close().await();
                serverVertx.close().await();
            }
        }
        recorder.note("Questions are distinct (1–4 filter dimensions of age range, gender, persona, district, household,"
                + " interest, offer consent), asked by an operator key under a benchmark privacy policy with the city's"
                + " epsilon per question and an unlimited budget, so no request is refused; every request is authenticated,"
                + " validated, counted in Pinot, noised, charged and audited. Kafka, Pinot (child JVM), the query service and"
                + " the load generator share the machine's cores.");
    }

    static PinotCluster startPinot(BenchContext ctx, EmbeddedKafka kafka, Settings base, int partitions) {
        kafka.createTopics(base, partitions);
        return PinotCluster.start(ctx.workDir().resolve("pinot"), kafka.bootstrapServers(), base);
    }

    private static void put(Map<String, Double> figures, String prefix, ClosedLoop.Result r) {
        figures.put(prefix + ".p50_ms", r.p50Millis());
        figures.put(prefix + ".p99_ms", r.p99Millis());
        figures.put(prefix + ".queries_per_s", r.perSecond());
    }

    static HttpClientAgent client(Vertx vertx, String host, int port, int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    private static Future<String> ask(HttpClientAgent client, String key, AudienceQuestions.Question q) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/audiences/size")
                .putHeader("Authorization", "Bearer " + key).putHeader("Content-Type", "application/json");
        return client.request(o).compose(r -> r.send(Buffer.buffer(q.requestBody())))
                .compose(resp -> resp.body().map(body -> resp.statusCode() == 200 ? null
                        : "HTTP " + resp.statusCode() + " " + abbreviate(body.toString())));
    }

    private static Future<String> direct(HttpClientAgent client, AudienceQuestions.Question q) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/query/sql")
                .putHeader("Content-Type", "application/json");
        return client.request(o).compose(r -> r.send(Buffer.buffer(new JsonObject().put("sql", q.sql()).encode())))
                .compose(resp -> resp.body().map(body -> {
                    if (resp.statusCode() != 200) return "HTTP " + resp.statusCode() + " " + abbreviate(body.toString());
                    JsonObject answer = body.toJsonObject();
                    return answer.getJsonArray("exceptions", new io.vertx.core.json.JsonArray()).isEmpty()
                            ? null : "Pinot: " + abbreviate(answer.getJsonArray("exceptions").encode());
                }));
    }

    static void awaitRows(PinotCluster pinot, long expected, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            try {
                seen = pinot.queryCount("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name());
                if (seen >= expected) return;
            } catch (RuntimeException notYet) {
                // the consuming segment may not be queryable yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Pinot shows " + seen + " of " + expected + " profiles after " + timeout + "; log " + pinot.logFile());
    }

    private static String policy() {
        return """
                {"city": "musterstadt", "timeZone": "Europe/Berlin", "roles": {
                  "operator": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 0.25, "delta": 0, "minCellSize": 10,
                               "budget": {"day": 100000000, "month": 1000000000}, "sameAnswerWithinVersion": true},
                  "participant": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 0.15, "delta": 0, "minCellSize": 10,
                                  "budget": {"day": 3, "month": 15}, "sameAnswerWithinVersion": true}}}
                """;
    }

    private static String participants(String operatorKey) {
        ArrayNode list = JSON.createArrayNode();
        list.addObject().put("id", "stadtmarketing").put("city", Musterstadt.CITY).put("role", "OPERATOR")
                .put("apiKeySha256", ParticipantDirectory.digest(operatorKey));
        return list.toString();
    }

    static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
