package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.city.ProductGroup;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write path under generated input (issue 14, acceptance): events — valid and invalid, extreme numbers, random
 * Unicode including the malformed-input corpus' classes (overlong UTF-8, lone surrogates, control, bidi and zero-width
 * characters, a full-width {@code @}, amounts beyond the limits, re-used event ids, events older than the city's
 * retention, broken structure, mixed batches) — are sent over HTTP to ingestion of the whole local system (embedded
 * Kafka, both Flink jobs on a MiniCluster, Pinot, resident API), with a fixed seed. The oracle ({@link Expected}) then
 * checks that
 * <ul>
 *   <li>every request got the answer its class calls for (202 for valid, 400 / 409 / 422 for the rest), never a 5xx;</li>
 *   <li>every 4xx left nothing behind: the raw topic holds exactly the accepted event ids, each with the accepted body
 *       (a 409 for a re-used id never replaced the original);</li>
 *   <li>every 202 is counted exactly once: per participant the purchase figures (quantity, amount) and per resident the
 *       live purchase records (count, amount) equal the recomputation; an identical resend counts once;</li>
 *   <li>every accepted purchase can be deleted by its resident through the resident API with the receipt exactly as it
 *       was sent (2xx, never 400), after which every purchase figure is zero.</li>
 * </ul>
 * {@code mvn verify} sends {@value #DEFAULT_EVENTS} events; {@code -Dfuzz.events=10000} sends the acceptance's 10,000
 * (README, "Tests"); {@code -Dfuzz.seed=…} another seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WritePathFuzzIT {

    static final int DEFAULT_EVENTS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CITY = Musterstadt.CITY;
    private static final String CITY_SECRET = "write-path-fuzz-secret-of-musterstadt";
    private static final String JWT_KEY = "write-path-fuzz-resident-token-key-0123456789";
    private static final int RESIDENTS = 40;
    private static final Duration EFFECT_WITHIN = Duration.ofMinutes(4);
    private static final long LINE_MAX_CENTS = 100_000_000L;
    private static final int QUANTITY_MAX = 100_000;

    @TempDir
    static Path dir;

    private LocalSystem system;
    private Map<String, String> keys;
    private List<SimParticipant> shops;
    private final List<String> residents = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Expected expected = new Expected();
    private final int events = Integer.getInteger("fuzz.events", DEFAULT_EVENTS);
    private final long seed = Long.getLong("fuzz.seed", 14_2026L);

    @BeforeAll
    void startTheSystem() throws Exception {
        Path citiesDir = BehaviourTestSupport.repositoryRoot().resolve("cities");
        Musterstadt city = Musterstadt.load(citiesDir.resolve(CITY));
        Path dataDir = dir.resolve("system");
        Files.createDirectories(dataDir);
        keys = ParticipantsFile.write(city.participants().all(), CITY, LocalSettings.participantsFile(dataDir),
                dataDir.resolve("api-keys.json"), new SecureRandom());
        shops = city.participants().businesses().stream()
                .filter(p -> !p.productGroups().isEmpty() && keys.containsKey(p.id())).limit(5).toList();
        assertThat(shops).hasSize(5);
        Settings settings = LocalSettings.forDataDir(Settings.of(Map.of(
                FlinkJobsConfig.CITY_SECRETS.name(), CITY + ":" + CITY_SECRET,
                FlinkJobsConfig.UNKNOWN_PERSON_WAIT.name(), "30m",
                QueryConfig.PUBLICATION_ENABLED.name(), "false",
                ResidentConfig.JWT_KEY.name(), JWT_KEY)), dataDir, citiesDir, CITY);
        system = ItSystems.start(dataDir, settings);
    }

    @AfterAll
    void stopTheSystem() {
        if (system != null) system.close();
    }

    @Test
    @Order(1)
    void everyAnswerFitsItsClassEveryAcceptedEventIsCountedOnceAndNothingRefusedIsLeftBehind() throws Exception {
        registerResidents();
        Generator generator = new Generator(new Random(seed));
        Map<String, Integer> byClass = new TreeMap<>();
        List<String> wrongAnswers = new ArrayList<>();
        long started = System.nanoTime();
        int sent = 0;
        while (sent < events) {
            Request request = generator.next();
            sent += request.events();
            byClass.merge(request.kind(), 1, Integer::sum);
            HttpResponse<String> answer = post(request.sender(), request.body());
            if (answer.statusCode() != request.expectedStatus()) {
                wrongAnswers.add(request.kind() + ": expected " + request.expectedStatus() + " but " + answer.statusCode()
                        + " " + shorten(answer.body()) + " for " + shorten(new String(request.body(), StandardCharsets.UTF_8)));
                if (answer.statusCode() == 202) request.accepted().forEach(expected::accept);
            } else if (answer.statusCode() == 202) {
                request.accepted().forEach(expected::accept);
            }
            request.refusedIds().forEach(expected::refused);
        }
        System.out.printf("[fuzz] seed %d: %d events in %d requests (%s) sent in %.1f s; %d purchases accepted%n", seed,
                sent, byClass.values().stream().mapToInt(Integer::intValue).sum(), byClass,
                (System.nanoTime() - started) / 1e9, expected.purchases.size());
        assertThat(wrongAnswers).as("requests answered other than their class calls for").isEmpty();
        assertThat(expected.purchases.size()).as("accepted purchases").isGreaterThan(events / 4);

        assertTheRawTopicHoldsExactlyTheAcceptedEvents();
        awaitFigures("after the fuzz", expected.figures(), expected.records());
    }

    @Test
    @Order(2)
    void everyAcceptedPurchaseCanBeDeletedByItsResidentAndThenEveryPurchaseFigureIsZero() throws Exception {
        List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger deleted = new java.util.concurrent.atomic.AtomicInteger();
        // as many residents' privacy centres at once as the resident API's worker pool serves comfortably
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8);
        java.util.concurrent.atomic.AtomicInteger retried = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();
        long started = System.nanoTime();
        for (Accepted p : expected.purchases.values()) {
            String path = "/api/v1/me/purchases/" + URLEncoder.encode(p.receiptAsSent(), StandardCharsets.UTF_8).replace("+", "%20")
                    + "?participant=" + URLEncoder.encode(p.participant(), StandardCharsets.UTF_8);
            inFlight.acquire();
            all.add(deleteRetrying503(path, p.resident(), retried)
                    .whenComplete((r, e) -> {
                        inFlight.release();
                        if (e != null) refused.add(e + " for receipt " + p.receiptAsSent());
                        else if (r.statusCode() / 100 != 2) {
                            refused.add(r.statusCode() + " " + shorten(r.body()) + " for receipt " + p.receiptAsSent());
                        } else deleted.incrementAndGet();
                    }));
        }
        java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
                .exceptionally(e -> null).join();
        System.out.printf("[fuzz] %d accepted purchases deleted through the resident API in %.1f s (%d answers 503 with"
                + " Retry-After, sent again as a client does)%n", deleted.get(), (System.nanoTime() - started) / 1e9, retried.get());
        assertThat(refused).as("accepted purchases their resident could not delete").isEmpty();
        Map<String, List<Long>> zero = new TreeMap<>();
        Map<String, List<Long>> none = new TreeMap<>();
        awaitFigures("after every purchase was deleted", zero, none);
    }

    /**
     * A resident's DELETE as the privacy centre sends it: a 503 with Retry-After (the resident API could not confirm in
     * time that the token's resident was not erased — it happened under a load average of 26 on this 2-core machine)
     * is sent again after the stated seconds, up to 5 times; every other answer is final.
     */
    private java.util.concurrent.CompletableFuture<HttpResponse<String>> deleteRetrying503(String path, String resident,
            java.util.concurrent.atomic.AtomicInteger retried) {
        return deleteAttempt(path, resident, retried, 0);
    }

    private java.util.concurrent.CompletableFuture<HttpResponse<String>> deleteAttempt(String path, String resident,
            java.util.concurrent.atomic.AtomicInteger retried, int attempt) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(system.residentUrl() + path))
                        .header("Authorization", "Bearer " + token(resident)).DELETE().build(), HttpResponse.BodyHandlers.ofString())
                .thenCompose(r -> {
                    if (r.statusCode() != 503 || attempt >= 5) return java.util.concurrent.CompletableFuture.completedFuture(r);
                    retried.incrementAndGet();
                    long seconds = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
                    return java.util.concurrent.CompletableFuture.supplyAsync(() -> null,
                                    java.util.concurrent.CompletableFuture.delayedExecutor(seconds, java.util.concurrent.TimeUnit.SECONDS))
                            .thenCompose(x -> deleteAttempt(path, resident, retried, attempt + 1));
                });
    }

    // ---- the generator ---------------------------------------------------------------------------------------

    /** One HTTP request: its body's bytes, the answer its class calls for, and what a 202 accepts. */
    record Request(String kind, String sender, byte[] body, int expectedStatus, int events, List<Accepted> accepted,
                   List<String> refusedIds) {}

    /** An accepted purchase as the oracle counts it; receipt as sent (maybe decomposed) and as stored (NFC). */
    record Accepted(String eventId, String resident, String participant, String receiptAsSent, String receipt,
                    long quantity, long amountCents, boolean purchase) {}

    /** Characters of valid text: ASCII, umlauts, a decomposed é (normalised to NFC), astral and CJK characters. */
    private static final String[] VALID_PIECES = {"a", "B", "7", "-", "_", ".", " ", "/", "#", "ä", "Ö", "ß", "é", "e\u0301",
            "\ud83c\udf4e", "€", "漢", "ﬁ", "%", "+", "?", "&"};
    /** Characters the strict text rule refuses in identifiers and text. */
    private static final String[] FORBIDDEN = {"\u0000", "\u001b", "\u202e", "\u200b", "\ufeff", "\n", "\r", "\u0085",
            "\u2028", "\u0007", "\u061c", "\u2066"};
    private static final String LONE_SURROGATE = "LONESURROGATEMARK";
    private static final String OVERLONG = "OVERLONGMARK";

    private final class Generator {
        private final Random random;
        private int sequence;
        private final List<ObjectNode> acceptedBodies = new ArrayList<>();
        private final List<String> acceptedSenders = new ArrayList<>();

        Generator(Random random) {
            this.random = random;
        }

        Request next() {
            int dice = random.nextInt(100);
            if (dice < 45) return valid("valid purchase", 1);
            if (dice < 50) return valid("valid batch", 2 + random.nextInt(3));
            if (dice < 55) return identicalResend();
            if (dice < 60) return reusedIdWithAnotherBody();
            if (dice < 63) return tooOld();
            if (dice < 73) return badAmount();
            if (dice < 85) return badText();
            if (dice < 89) return encodingAttack();
            if (dice < 94) return brokenStructure();
            return mixedBatch();
        }

        private Request valid(String kind, int n) {
            SimParticipant shop = shop();
            ArrayNode batch = JSON.createArrayNode();
            List<Accepted> accepted = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Built b = purchase(shop, resident(), recent());
                batch.add(b.json());
                accepted.add(b.accepted());
                acceptedBodies.add(b.json());
                acceptedSenders.add(shop.id());
            }
            return new Request(kind, shop.id(), bytes(n == 1 ? batch.get(0) : batch), 202, n, accepted, List.of());
        }

        private Request identicalResend() {
            if (acceptedBodies.isEmpty()) return valid("valid purchase", 1);
            int i = random.nextInt(acceptedBodies.size());
            ObjectNode again = acceptedBodies.get(i);
            return new Request("identical resend", acceptedSenders.get(i), bytes(again), 202, 1, List.of(), List.of());
        }

        private Request reusedIdWithAnotherBody() {
            if (acceptedBodies.isEmpty()) return valid("valid purchase", 1);
            int i = random.nextInt(acceptedBodies.size());
            ObjectNode other = acceptedBodies.get(i).deepCopy();
            ObjectNode line = (ObjectNode) other.get("data").get("lines").get(0);
            line.put("amountCents", line.get("amountCents").asLong() == 1 ? 2 : 1);
            return new Request("re-used id, other body", acceptedSenders.get(i), bytes(other), 409, 1, List.of(), List.of());
        }

        private Request tooOld() {
            SimParticipant shop = shop();
            Built b = purchase(shop, resident(), Instant.now().minus(Duration.ofDays(5 * 366)));
            return new Request("older than retention", shop.id(), bytes(b.json()), 422, 1, List.of(),
                    List.of(b.accepted().eventId()));
        }

        private Request badAmount() {
            SimParticipant shop = shop();
            Built b = purchase(shop, resident(), recent());
            ObjectNode line = (ObjectNode) b.json().get("data").get("lines").get(0);
            switch (random.nextInt(9)) {
                case 0 -> line.put("amountCents", LINE_MAX_CENTS + 1);
                case 1 -> line.put("amountCents", Long.MAX_VALUE);
                case 2 -> line.put("amountCents", -1);
                case 3 -> line.put("amountCents", (1L << 53) + 1);
                case 4 -> line.put("amountCents", 12.5);
                case 5 -> line.put("amountCents", "100");
                case 6 -> line.put("amountCents", new java.math.BigInteger("99999999999999999999999999"));
                case 7 -> line.put("quantity", QUANTITY_MAX + 1);
                default -> line.put("quantity", 0);
            }
            return new Request("amount beyond the limits", shop.id(), bytes(b.json()), 400, 1, List.of(),
                    List.of(b.accepted().eventId()));
        }

        private Request badText() {
            SimParticipant shop = shop();
            Built b = purchase(shop, resident(), recent());
            ObjectNode data = (ObjectNode) b.json().get("data");
            String bad = FORBIDDEN[random.nextInt(FORBIDDEN.length)];
            switch (random.nextInt(6)) {
                case 0 -> data.put("receipt", inject(data.get("receipt").asText(), bad));
                case 1 -> ((ObjectNode) data.get("lines").get(0)).put("productGroup",
                        inject(data.get("lines").get(0).get("productGroup").asText(), bad));
                case 2 -> b.json().put("resident", inject(b.json().get("resident").asText(), bad));
                case 3 -> b.json().put("resident", "anna\uff20example.org");
                case 4 -> b.json().put("resident", "anna.schmidt@example.org");
                default -> data.put("receipt", "R" + "x".repeat(64));
            }
            return new Request("forbidden text", shop.id(), bytes(b.json()), 400, 1, List.of(), List.of(b.accepted().eventId()));
        }

        /** A lone surrogate (as a JSON escape) or an overlong UTF-8 sequence in the body's bytes. */
        private Request encodingAttack() {
            SimParticipant shop = shop();
            Built b = purchase(shop, resident(), recent());
            ObjectNode data = (ObjectNode) b.json().get("data");
            boolean surrogate = random.nextBoolean();
            data.put("receipt", data.get("receipt").asText() + (surrogate ? LONE_SURROGATE : OVERLONG));
            String text = b.json().toString();
            byte[] body;
            if (surrogate) {
                body = text.replace(LONE_SURROGATE, random.nextBoolean() ? "\\ud800" : "\\udfff").getBytes(StandardCharsets.UTF_8);
            } else {
                String[] parts = text.split(OVERLONG, 2);
                byte[] head = parts[0].getBytes(StandardCharsets.UTF_8);
                byte[] tail = parts[1].getBytes(StandardCharsets.UTF_8);
                byte[] overlong = random.nextBoolean() ? new byte[] {(byte) 0xC0, (byte) 0xAF}
                        : new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF};
                body = new byte[head.length + overlong.length + tail.length];
                System.arraycopy(head, 0, body, 0, head.length);
                System.arraycopy(overlong, 0, body, head.length, overlong.length);
                System.arraycopy(tail, 0, body, head.length + overlong.length, tail.length);
            }
            return new Request(surrogate ? "lone surrogate" : "overlong UTF-8", shop.id(), body, 400, 1, List.of(),
                    List.of(b.accepted().eventId()));
        }

        private Request brokenStructure() {
            SimParticipant shop = shop();
            Built b = purchase(shop, resident(), recent());
            ObjectNode e = b.json();
            switch (random.nextInt(6)) {
                case 0 -> ((ObjectNode) e.get("data")).remove("lines");
                case 1 -> ((ObjectNode) e.get("data")).set("lines", JSON.createArrayNode());
                case 2 -> e.put("type", "purchase.teleported");
                case 3 -> e.put("shoeSize", 44);
                case 4 -> e.put("eventTime", "gestern");
                default -> e.put("eventId", "id with spaces " + sequence);
            }
            return new Request("broken structure", shop.id(), bytes(e), 400, 1, List.of(), List.of(b.accepted().eventId()));
        }

        /** Valid purchases and one invalid one in a batch: all or nothing. */
        private Request mixedBatch() {
            SimParticipant shop = shop();
            ArrayNode batch = JSON.createArrayNode();
            List<String> ids = new ArrayList<>();
            int n = 2 + random.nextInt(3);
            int bad = random.nextInt(n);
            for (int i = 0; i < n; i++) {
                Built b = purchase(shop, resident(), recent());
                if (i == bad) ((ObjectNode) b.json().get("data")).put("receipt", inject(b.json().get("data").get("receipt").asText(),
                        FORBIDDEN[random.nextInt(FORBIDDEN.length)]));
                batch.add(b.json());
                ids.add(b.accepted().eventId());
            }
            return new Request("mixed batch", shop.id(), bytes(batch), 400, n, List.of(), ids);
        }

        private record Built(ObjectNode json, Accepted accepted) {}

        private Built purchase(SimParticipant shop, String resident, Instant time) {
            String id = "fuzz-" + (++sequence);
            String receipt = "F" + sequence + validText(1 + random.nextInt(8)) + "z";
            ArrayNode lines = JSON.createArrayNode();
            long quantity = 0;
            long amount = 0;
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                long q = random.nextInt(20) == 0 ? QUANTITY_MAX : 1 + random.nextInt(5);
                int pick = random.nextInt(20);
                long a = pick == 0 ? LINE_MAX_CENTS : pick == 1 ? 0 : 1 + random.nextInt(20_000);
                String group = random.nextInt(4) == 0 ? "G" + validText(1 + random.nextInt(10)) + "z"
                        : shop.productGroups().get(random.nextInt(shop.productGroups().size())).name();
                lines.add(JSON.createObjectNode().put("productGroup", group).put("quantity", q).put("amountCents", a));
                quantity += q;
                amount += a;
            }
            ObjectNode e = JSON.createObjectNode().put("eventId", id).put("type", "purchase")
                    .put("eventTime", time.toString()).put("resident", resident);
            e.set("data", JSON.createObjectNode().put("receipt", receipt).set("lines", lines));
            return new Built(e, new Accepted(id, resident, shop.id(), receipt, Normalizer.normalize(receipt, Normalizer.Form.NFC),
                    quantity, amount, true));
        }

        private String validText(int pieces) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < pieces; i++) b.append(VALID_PIECES[random.nextInt(VALID_PIECES.length)]);
            return b.toString();
        }

        private String inject(String text, String bad) {
            int at = 1 + random.nextInt(Math.max(1, text.length() - 1));
            if (at < text.length() && Character.isLowSurrogate(text.charAt(at))) at++;
            return text.substring(0, Math.min(at, text.length())) + bad + text.substring(Math.min(at, text.length()));
        }

        private SimParticipant shop() {
            return shops.get(random.nextInt(shops.size()));
        }

        private String resident() {
            return residents.get(random.nextInt(residents.size()));
        }

        private Instant recent() {
            return Instant.now().minus(Duration.ofMinutes(1 + random.nextInt(60 * 24 * 40)));
        }
    }

    private static byte[] bytes(JsonNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- the oracle ------------------------------------------------------------------------------------------

    /** What the accepted events must add up to, recomputed in plain Java. */
    private static final class Expected {
        final Map<String, Accepted> purchases = new LinkedHashMap<>();
        final Set<String> acceptedIds = new HashSet<>();
        final Set<String> refusedOnlyIds = new HashSet<>();

        void accept(Accepted a) {
            acceptedIds.add(a.eventId());
            if (a.purchase()) purchases.put(a.eventId(), a);
        }

        void refused(String id) {
            refusedOnlyIds.add(id);
        }

        /** Per participant: [quantity, amount] of the live purchases. */
        Map<String, List<Long>> figures() {
            Map<String, List<Long>> out = new TreeMap<>();
            for (Accepted p : purchases.values()) {
                out.merge(p.participant(), List.of(p.quantity(), p.amountCents()),
                        (x, y) -> List.of(x.get(0) + y.get(0), x.get(1) + y.get(1)));
            }
            return out;
        }

        /** Per resident pseudonym: [count, amount] of the live purchase records. */
        Map<String, List<Long>> records() {
            Map<String, List<Long>> out = new TreeMap<>();
            for (Accepted p : purchases.values()) {
                out.merge(pseudonym(p.resident()), List.of(1L, p.amountCents()),
                        (x, y) -> List.of(x.get(0) + y.get(0), x.get(1) + y.get(1)));
            }
            return out;
        }
    }

    private void assertTheRawTopicHoldsExactlyTheAcceptedEvents() {
        Map<String, List<InteractionEvent>> onTopic = readRawTopic();
        Set<String> ids = onTopic.keySet();
        assertThat(ids).as("every accepted event id is on the raw topic").containsAll(expected.acceptedIds);
        Set<String> leftBehind = new HashSet<>(ids);
        leftBehind.retainAll(expected.refusedOnlyIds);
        leftBehind.removeAll(expected.acceptedIds);
        assertThat(leftBehind).as("refused events left on the raw topic").isEmpty();
        Set<String> unknown = new HashSet<>(ids);
        unknown.removeAll(expected.acceptedIds);
        assertThat(unknown).as("events on the raw topic nobody accepted").isEmpty();
        List<String> altered = new ArrayList<>();
        for (Accepted p : expected.purchases.values()) {
            for (InteractionEvent e : onTopic.get(p.eventId())) {
                Purchase purchase = (Purchase) e.getPayload();
                long amount = purchase.getLines().stream().mapToLong(PurchaseLine::getAmountCents).sum();
                long quantity = purchase.getLines().stream().mapToLong(PurchaseLine::getQuantity).sum();
                if (!purchase.getReceipt().equals(p.receipt()) || amount != p.amountCents() || quantity != p.quantity()) {
                    altered.add(p.eventId() + ": " + purchase.getReceipt() + " " + quantity + " " + amount);
                }
            }
        }
        assertThat(altered).as("raw events differing from the accepted body (a re-used id must not replace it)").isEmpty();
    }

    private Map<String, List<InteractionEvent>> readRawTopic() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<InteractionEvent>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = Topics.RAW_EVENTS.name(system.settings());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError("the raw topic could not be read to its end");
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    InteractionEvent e = Topics.RAW_EVENTS.codec().decode(r.value());
                    if (e.getEventId().startsWith("fuzz-")) out.computeIfAbsent(e.getEventId(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        return out;
    }

    private void awaitFigures(String when, Map<String, List<Long>> figures, Map<String, List<Long>> records) throws Exception {
        Instant deadline = Instant.now().plus(EFFECT_WITHIN);
        long started = System.nanoTime();
        String difference = "";
        while (Instant.now().isBefore(deadline)) {
            difference = difference("purchase figures by participant", figures, rows("SELECT participant, SUM(quantity),"
                    + " SUM(amountCents) FROM " + PinotTables.CONTRIBUTIONS.name() + " WHERE city = '" + CITY + "' AND measure"
                    + " = 'purchase' GROUP BY participant LIMIT 100000"));
            if (difference.isEmpty()) {
                difference = difference("live purchase records by resident", records, rows("SELECT pseudonym, COUNT(*),"
                        + " SUM(amountCents) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE city = '" + CITY + "' AND"
                        + " kind = 'purchase' AND deleted = false GROUP BY pseudonym LIMIT 100000"));
            }
            if (difference.isEmpty()) {
                System.out.printf("[fuzz] %s: every figure equals the recomputation (%.1f s of waiting)%n", when,
                        (System.nanoTime() - started) / 1e9);
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError(when + ": Pinot differs from the recomputation: " + difference);
    }

    /** Rows keyed by the first column, values rounded (Pinot sums are doubles, exact below 2^53); all-zero rows dropped. */
    private Map<String, List<Long>> rows(String sql) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (JsonNode row : system.pinot().query(sql).path("resultTable").path("rows")) {
            List<Long> values = new ArrayList<>();
            for (int i = 1; i < row.size(); i++) values.add(Math.round(row.get(i).asDouble()));
            if (values.stream().anyMatch(v -> v != 0)) out.put(row.get(0).asText(), values);
        }
        return out;
    }

    private static String difference(String figure, Map<String, List<Long>> expected, Map<String, List<Long>> actual) {
        if (expected.equals(actual)) return "";
        Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        return figure + ": " + keys.stream().filter(k -> !java.util.Objects.equals(expected.get(k), actual.get(k))).limit(5)
                .map(k -> k + " expected " + expected.get(k) + " but Pinot " + actual.get(k)).collect(Collectors.joining("; "));
    }

    // ---- setup and HTTP --------------------------------------------------------------------------------------

    private void registerResidents() throws Exception {
        Instant registered = Instant.now().minus(Duration.ofDays(60));
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 1; i <= RESIDENTS; i++) {
            String ref = String.format("FUZZ-R-%02d", i);
            residents.add(ref);
            ObjectNode e = JSON.createObjectNode().put("eventId", "fuzz-registration-" + i).put("type", "resident.registered")
                    .put("eventTime", registered.toString()).put("resident", ref);
            ObjectNode data = JSON.createObjectNode().put("birthDate", (1950 + i) + "-03-0" + (1 + i % 9))
                    .put("gender", i % 2 == 0 ? "FEMALE" : "MALE").put("postcode", "45468").put("householdType", "SINGLE");
            data.set("consents", JSON.createObjectNode().put("analytics", true).put("offers", false).put("newsletter", false));
            e.set("data", data);
            batch.add(e);
            expected.acceptedIds.add("fuzz-registration-" + i);
        }
        HttpResponse<String> r = post("portal", bytes(batch));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String live = "SELECT COUNT(*) FROM " + PinotTables.PROFILES.name() + " WHERE deleted = false AND pseudonym IN ("
                + residents.stream().map(ref -> "'" + pseudonym(ref) + "'").collect(Collectors.joining(",")) + ")";
        Instant deadline = Instant.now().plus(EFFECT_WITHIN);
        while (system.pinot().queryCount(live) < RESIDENTS) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("the fuzz residents never reached Pinot");
            Thread.sleep(300);
        }
    }

    private HttpResponse<String> post(String sender, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(system.ingestion().baseUrl() + "/api/v1/events"))
                .header("Authorization", "Bearer " + keys.get(sender))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("never a server error: " + r.body()).isLessThan(500);
        return r;
    }

    private static String shorten(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 300 ? clean.substring(0, 300) + "..." : clean;
    }

    /** The resident pseudonym as docs/PRIVACY.md defines it (HMAC-SHA256 under the city's secret, independent of the code). */
    private static String pseudonym(String residentRef) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CITY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(("resident:" + residentRef).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HS256 token as the portal issues it after a sign-in (sub, city, iss, exp, iat). */
    private static String token(String ref) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode claims = JSON.createObjectNode().put("sub", ref).put("city", CITY)
                .put("iss", ResidentConfig.JWT_ISSUER.defaultValue())
                .put("exp", Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond())
                .put("iat", Instant.now().getEpochSecond());
        String payload = b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(JWT_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return header + "." + payload + "." + b64.encodeToString(mac.doFinal((header + "." + payload)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
