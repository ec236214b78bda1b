package de.prokommun.insights.importer.completejourney;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.importer.ColumnMapping;
import de.prokommun.insights.importer.CsvFile;
import de.prokommun.insights.importer.EventIds;
import de.prokommun.insights.importer.EventSender;
import de.prokommun.insights.importer.EventSink;
import de.prokommun.insights.importer.HistoryImport;
import de.prokommun.insights.importer.ImportReport;
import de.prokommun.insights.importer.IngestionClient;
import de.prokommun.insights.importer.KeysFile;
import de.prokommun.insights.importer.Progress;
import de.prokommun.insights.importer.PurchaseEvents;
import de.prokommun.insights.participants.ParticipantDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Complete Journey sample (84.51° / dunnhumby, ../shared/data/completejourney) read as Musterstadt: each
 * store is a participating shop ({@code cj-store-<store_id>}), each household a card holder
 * ({@code CJ-<household_id>}), each basket a receipt, product_category the shop's own product group. Households
 * with demographics become registered residents through a portal of their own ({@code cj-portal}) and link
 * their card, so their purchases are attributed; the others stay card holders without a profile.
 */
public final class CompleteJourney {

    public static final String CITY = "musterstadt";
    public static final String PORTAL = "cj-portal";
    /** The city's operator (city marketing), who asks the journey questions across the stores. */
    public static final String OPERATOR = "cj-stadtmarketing";
    public static final String TRANSACTIONS = "transactions_sample.csv.gz";
    public static final String DEMOGRAPHICS = "demographics.csv.gz";
    /** The data are one year, 2017; residents registered (and card linked) the day before it began. */
    static final Instant REGISTERED_AT = Instant.parse("2016-12-31T09:00:00Z");
    static final LocalDate AGE_REFERENCE = LocalDate.of(2017, 1, 1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private CompleteJourney() {}

    public static String storeParticipant(String storeId) { return "cj-store-" + storeId; }

    public static String card(String householdId) { return "CJ-" + householdId; }

    public static String resident(String householdId) { return "cj-resident-" + householdId; }

    public static ColumnMapping columns(Path dataDir) {
        try (InputStream in = resource("columns.json")) {
            return ColumnMapping.load(in, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The product-group → taxonomy mapping of the CJ product categories (CSV for the mapping API). */
    public static byte[] productGroupMapping() {
        try (InputStream in = resource("product-group-mapping.csv")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = CompleteJourney.class.getResourceAsStream("/completejourney/" + name);
        if (in == null) throw new IllegalStateException("resource completejourney/" + name + " missing from the classpath");
        return in;
    }

    /** The store ids of the transactions, sorted numerically. */
    public static List<String> storeIds(Path dataDir) throws IOException {
        TreeSet<Long> ids = new TreeSet<>();
        try (CsvFile in = CsvFile.open(dataDir.resolve(TRANSACTIONS), ',')) {
            int store = in.header().indexOf("store_id");
            for (CsvFile.Row r = in.next(); r != null; r = in.next()) {
                if (r.error() == null && r.fields().size() > store) ids.add(Long.parseLong(r.fields().get(store)));
            }
        }
        return ids.stream().map(String::valueOf).toList();
    }

    /**
     * Writes a participant directory (digests only, the format {@link ParticipantDirectory} loads) for every store,
     * the CJ portal and an operator, and the keys file (secret) the import reads.
     */
    public static Map<String, String> writeParticipants(Path dataDir, Path directoryFile, Path keysFile) throws IOException {
        SecureRandom random = new SecureRandom();
        Map<String, String> keys = new LinkedHashMap<>();
        ArrayNode directory = JSON.createArrayNode();
        keys.put(PORTAL, newKey(random));
        directory.addObject().put("id", PORTAL).put("city", CITY).put("role", "PORTAL")
                .put("name", "Complete-Journey-Portal").put("apiKeySha256", ParticipantDirectory.digest(keys.get(PORTAL)));
        keys.put(OPERATOR, newKey(random));
        directory.addObject().put("id", OPERATOR).put("city", CITY).put("role", "OPERATOR")
                .put("name", "Complete-Journey-Stadtmarketing").put("apiKeySha256", ParticipantDirectory.digest(keys.get(OPERATOR)));
        for (String store : storeIds(dataDir)) {
            String id = storeParticipant(store);
            keys.put(id, newKey(random));
            directory.addObject().put("id", id).put("city", CITY).put("role", "PARTICIPANT")
                    .put("name", "Complete-Journey-Markt " + store).put("apiKeySha256", ParticipantDirectory.digest(keys.get(id)));
        }
        Path parent = directoryFile.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        JSON.writerWithDefaultPrettyPrinter().writeValue(directoryFile.toFile(), directory);
        KeysFile.write(keysFile, CITY, keys);
        return keys;
    }

    private static String newKey(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Registers the households with demographics through the CJ portal and links their cards, then imports the
     * transactions with the CJ column mapping, uploading the product-group mapping for every store first.
     */
    public static ImportReport importAll(Path dataDir, URI url, Map<String, String> keys, Path citiesDir, int batchSize,
                                         Progress progress) throws IOException, InterruptedException, HistoryImport.MappingRejected {
        return importAll(dataDir, url, keys, citiesDir, batchSize, progress, null);
    }

    /** As {@link #importAll(Path, URI, Map, Path, int, Progress)}, the events through {@code sink} (null: the API). */
    public static ImportReport importAll(Path dataDir, URI url, Map<String, String> keys, Path citiesDir, int batchSize,
                                         Progress progress, EventSink sink)
            throws IOException, InterruptedException, HistoryImport.MappingRejected {
        ImportReport report = new ImportReport(dataDir.resolve(TRANSACTIONS).getFileName().toString());
        String portalKey = keys.get(PORTAL);
        if (portalKey == null) throw new IllegalArgumentException("the keys file has no key for '" + PORTAL + "'");
        List<String> postcodes = postcodes(citiesDir);
        List<EventSender.Outgoing<String>> events = new ArrayList<>();
        for (ObjectNode e : residentEvents(dataDir, postcodes)) {
            events.add(new EventSender.Outgoing<>(e.path("eventId").asText(), PurchaseEvents.bytes(e), e.path("type").asText()));
        }
        EventSink sender = sink != null ? sink : new EventSender(new IngestionClient(url), batchSize, 900_000, 8, 500);
        try {
            sender.send(portalKey, events, new EventSender.Outcome<>() {
                @Override
                public void accepted(String type) {
                    report.countResidents(type + " accepted", 1);
                }

                @Override
                public void rejected(String type, String reason) {
                    report.countResidents(type + " rejected: " + reason, 1);
                }
            }, n -> { });
        } catch (EventSender.Unavailable e) {
            report.aborted(e.getMessage());
            return report;
        }
        HistoryImport.Options options = new HistoryImport.Options(url, keys, null, columns(dataDir),
                dataDir.resolve(TRANSACTIONS), productGroupMapping(), batchSize, 900_000, 8, progress, sink);
        return new HistoryImport(options).run(report);
    }

    /** Musterstadt's postcodes (city.json, read by the city module), sorted: residents are spread over them deterministically. */
    static List<String> postcodes(Path citiesDir) {
        return CityFiles.read(citiesDir.resolve(CITY)).districts().keySet().stream().sorted().toList();
    }

    /** For each household with demographics: its registration and its card link (portal events). */
    static List<ObjectNode> residentEvents(Path dataDir, List<String> postcodes) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        try (CsvFile in = CsvFile.open(dataDir.resolve(DEMOGRAPHICS), ',')) {
            List<String> h = in.header();
            int id = h.indexOf("household_id"), age = h.indexOf("age"), comp = h.indexOf("household_comp");
            for (CsvFile.Row r = in.next(); r != null; r = in.next()) {
                if (r.error() != null) continue;
                String household = r.fields().get(id);
                Households.Profile p = Households.profile(household, r.fields().get(age), r.fields().get(comp), postcodes,
                        AGE_REFERENCE);
                ObjectNode reg = JSON.createObjectNode().put("eventId", EventIds.of("registered", "cj", household))
                        .put("type", "resident.registered").put("eventTime", REGISTERED_AT.toString())
                        .put("resident", resident(household));
                ObjectNode data = reg.putObject("data").put("birthDate", p.birthDate().toString()).put("gender", "UNKNOWN")
                        .put("postcode", p.postcode()).put("householdType", p.householdType());
                data.putObject("consents").put("analytics", true).put("offers", true).put("newsletter", true);
                out.add(reg);
                ObjectNode link = JSON.createObjectNode().put("eventId", EventIds.of("card", "cj", household))
                        .put("type", "card.linked").put("eventTime", REGISTERED_AT.plusSeconds(60).toString())
                        .put("resident", resident(household));
                link.putObject("data").put("card", card(household));
                out.add(link);
            }
        }
        return out;
    }
}
