package de.prokommun.insights.importer;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.importer.completejourney.CompleteJourney;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./import-history}: loads a sales export through the ingestion API, or the Complete Journey sample.
 * Exit codes: 0 done (rejected rows are listed in the report), 1 wrong arguments or files, 2 the mapping upload
 * was refused, 3 the ingestion API stayed unavailable (the report says what was not sent).
 */
public final class ImportHistoryMain {
    private ImportHistoryMain() {}

    static final String USAGE = """
            Usage:
              import-history --url http://host:port --keys keys.json --columns columns.json --file sales.csv[.gz]
                             [--participant ID] [--mapping product-groups.csv] [--report report.json]
                             [--batch 1000] [--no-progress] [--lang de|en]
              import-history --complete-journey DIR --url http://host:port --keys keys.json
                             [--cities-dir cities] [--report report.json] [--batch 1000] [--no-progress] [--lang de|en]
              import-history --complete-journey-participants DIR --out OUTDIR
                             (writes OUTDIR/participants.json for ingestion's participants.file and OUTDIR/keys.json)
            Bulk history without HTTP (instead of --url, or beside it for --mapping): the ingestion's checks, straight
            into Kafka:  --kafka host:port --participants participants.json [--topic-prefix prokommun.]
                         [--cities-dir cities] [--no-retention-check]
            """;
    private static final Set<String> FLAGS = Set.of("--no-progress", "--help", "--no-retention-check");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> a;
        try {
            a = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 1;
        }
        if (a.containsKey("--help")) {
            out.print(USAGE);
            return 0;
        }
        boolean english = "en".equals(a.get("--lang"));
        try {
            if (a.containsKey("--complete-journey-participants")) {
                Path dir = Path.of(a.get("--complete-journey-participants"));
                Path outDir = Path.of(required(a, "--out"));
                Map<String, String> keys = CompleteJourney.writeParticipants(dir, outDir.resolve("participants.json"),
                        outDir.resolve("keys.json"));
                out.println((english ? "wrote " : "geschrieben: ") + outDir.resolve("participants.json") + " ("
                        + keys.size() + (english ? " participants) and " : " Teilnehmer) und ") + outDir.resolve("keys.json"));
                return 0;
            }
            URI url = a.containsKey("--kafka") && !a.containsKey("--url") ? null : URI.create(required(a, "--url"));
            Map<String, String> keys = KeysFile.read(Path.of(required(a, "--keys")));
            int batch = Integer.parseInt(a.getOrDefault("--batch", "1000"));
            Progress progress = a.containsKey("--no-progress") ? Progress.disabled() : Progress.forConsole();
            ImportReport report;
            try (BulkEventSink bulk = a.containsKey("--kafka") ? BulkEventSink.open(bulkSettings(a)) : null) {
                if (a.containsKey("--complete-journey")) {
                    report = CompleteJourney.importAll(Path.of(a.get("--complete-journey")), url, keys,
                            Path.of(a.getOrDefault("--cities-dir", "cities")), batch, progress, bulk);
                } else {
                    Path file = Path.of(required(a, "--file"));
                    byte[] mapping = a.containsKey("--mapping") ? Files.readAllBytes(Path.of(a.get("--mapping"))) : null;
                    HistoryImport.Options options = new HistoryImport.Options(url, keys, a.get("--participant"),
                            ColumnMapping.load(Path.of(required(a, "--columns"))), file, mapping, batch, 900_000, 8,
                            progress, bulk);
                    report = new HistoryImport(options).run();
                }
            }
            report.print(out, english);
            Path reportFile = Path.of(a.getOrDefault("--report", "import-report.json"));
            report.writeJson(reportFile);
            out.println((english ? "report: " : "Bericht: ") + reportFile.toAbsolutePath());
            return report.abortedBecause() == null ? 0 : 3;
        } catch (HistoryImport.MappingRejected e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println((english ? "import failed: " : "Import fehlgeschlagen: ") + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The ingestion settings the bulk path needs: Kafka, topic prefix, participants and cities (retention). */
    static Settings bulkSettings(Map<String, String> a) {
        Map<String, String> values = new HashMap<>();
        values.put(CommonConfig.KAFKA_BOOTSTRAP.name(), required(a, "--kafka"));
        values.put(IngestionConfig.PARTICIPANTS_FILE.name(), required(a, "--participants"));
        values.put(CommonConfig.CITIES_DIR.name(), a.getOrDefault("--cities-dir", "cities"));
        if (a.containsKey("--topic-prefix")) values.put(CommonConfig.TOPIC_PREFIX.name(), a.get("--topic-prefix"));
        if (a.containsKey("--no-retention-check")) values.put(IngestionConfig.RETENTION_ENFORCED.name(), "false");
        return Settings.of(values);
    }

    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("missing " + name);
        return v;
    }

    static Map<String, String> parse(String[] args) {
        List<String> valued = List.of("--url", "--keys", "--columns", "--file", "--participant", "--mapping", "--report",
                "--batch", "--lang", "--complete-journey", "--cities-dir", "--complete-journey-participants", "--out",
                "--kafka", "--participants", "--topic-prefix");
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (FLAGS.contains(arg)) {
                out.put(arg, "true");
            } else if (valued.contains(arg)) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(arg + " needs a value");
                out.put(arg, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return out;
    }
}
