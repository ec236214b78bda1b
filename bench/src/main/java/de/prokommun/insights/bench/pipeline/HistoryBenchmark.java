package de.prokommun.insights.bench.pipeline;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.Consents;
import de.prokommun.insights.events.EmployerVoucherCredited;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.state.StateAccessTotals;
import de.prokommun.insights.flink.runtime.RocksDbTuning;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import de.prokommun.insights.bench.harness.SvgPlot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The profile job's person-keyed operators (registration wait → de-duplication → profile with contribution ledger and
 * person records → journey ledger, person side of vouchers) on RocksDB state in Flink's operator harnesses ({@link ProfileChainHarness}): for
 * people whose history is 1 day … 3 years long, the CPU time of one more day of events, as events per second of one core, and the keyed state entries each event touches. Measured in
 * thread CPU time, so a busy machine slows the run but barely moves the figure. Kafka, serialisation between
 * operators and checkpoints are not in it: `bench/run pipeline` measures the whole pipeline.
 */
public final class HistoryBenchmark implements Benchmark {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final String CITY = "musterstadt";
    private static final List<String> SHOPS = List.of("baeckerei-schmidt", "edeka-mueller", "metzgerei-brand",
            "rewe-speldorf", "nahkauf-duempten");
    private static final List<String> GROUPS = List.of("brot", "obst", "wurst", "kaffee");

    @Override public String name() { return "history"; }

    @Override public String description() {
        return "profile operator events/s per core and state entries per event vs a person's history length, RocksDB (--people=200 --days=1,30,365,1095)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int people = ctx.intOption("people", 200);
        int measuredDays = ctx.intOption("measured-days", 7);
        String daysOption = ctx.option("days", "1,30,365,1095");
        recorder.parameter("people", people);
        recorder.parameter("measuredDays", measuredDays);
        recorder.parameter("days", daysOption);
        CityCatalog cities = CityCatalog.load(ctx.citiesDir());
        // The timed days last a second or two: without a warm-up the first (shortest) history was measured on code the
        // JIT had not compiled yet, and looked slower than the long ones (whose history load had warmed it up).
        int warmupDays = ctx.intOption("warmup-days", 120);
        recorder.parameter("warmupDays", warmupDays);
        if (warmupDays > 0) measure(cities, Math.min(people, 50), warmupDays, 7, ctx, -1);
        List<SvgPlot.Series> rates = new ArrayList<>();
        List<SvgPlot.Series> bytes = new ArrayList<>();
        for (int run = 0; run < ctx.runs(); run++) {
            Map<String, Double> figures = new LinkedHashMap<>();
            Map<String, Object> details = new LinkedHashMap<>();
            List<double[]> ratePoints = new ArrayList<>();
            List<double[]> bytePoints = new ArrayList<>();
            rates.add(new SvgPlot.Series("run " + (run + 1), ratePoints));
            bytes.add(new SvgPlot.Series("run " + (run + 1), bytePoints));
            for (String d : daysOption.split(",")) {
                int days = Integer.parseInt(d.trim());
                Measured m = measure(cities, people, days, measuredDays, ctx, run);
                ratePoints.add(new double[] {days, m.eventsPerCpuSecond()});
                bytePoints.add(new double[] {days, m.stateBytesPerEvent()});
                figures.put("history." + days + "d.events_per_core_s", m.eventsPerCpuSecond());
                figures.put("history." + days + "d.state_entries_per_event", m.stateEntriesPerEvent());
                figures.put("history." + days + "d.state_bytes_per_event", m.stateBytesPerEvent());
                details.put(days + "d", Map.of("historyEvents", m.historyEvents, "measuredEvents", m.events,
                        "cpuSeconds", m.cpuNanos / 1e9, "wallSeconds", m.wallNanos / 1e9,
                        "historyLoadSeconds", m.loadNanos / 1e9, "bytesMeasuredEvents", m.bytesEvents));
                System.out.printf("[bench history] %5d days: %,d history events, %,d measured: %.0f events/s per core, %.1f state entries per event, %.0f state bytes per event%n",
                        days, m.historyEvents, m.events, m.eventsPerCpuSecond(), m.stateEntriesPerEvent(), m.stateBytesPerEvent());
            }
            recorder.run(figures, details);
        }
        // the history axis in days; a flat line is the goal (cost per event independent of a person's history)
        SvgPlot.write(ctx.repo().resolve("docs/history.svg"),
                "Profile operator against a person's history length (RocksDB, thread CPU time)", "days of history",
                List.of(new SvgPlot.Panel("Events per second of one core", "events/s", rates, Double.NaN),
                        new SvgPlot.Panel("State bytes read and written per event", "bytes", bytes, Double.NaN)));
        recorder.note("Each person is a regular shopper (purchases at five shops about twice a week, a club check-in and bonus"
                + " points weekly, an employer voucher credited and spent monthly, a newsletter now and then); the history is"
                + " loaded first, then one more " + measuredDays + " days of the same events are measured per person."
                + " Events per second of one core = measured events / thread CPU time of the operators; state entries ="
                + " keyed state reads + writes counted by the five person-keyed operators (KeyedStates); state bytes = serialized size of the keys and"
                + " values of those entries, measured on one more week after the timed days (measuring them costs CPU). RocksDB state backend, no Kafka, no"
                + " checkpoints; the city's 3-year retention is active.");
    }

    private record Measured(long historyEvents, long events, long cpuNanos, long wallNanos, long loadNanos, long stateEntries,
                            long bytesEvents, long stateBytes) {
        double eventsPerCpuSecond() { return events / (cpuNanos / 1e9); }
        double stateEntriesPerEvent() { return (double) stateEntries / events; }
        double stateBytesPerEvent() { return (double) stateBytes / bytesEvents; }
    }

    private static Measured measure(CityCatalog cities, int people, int days, int measuredDays, BenchContext ctx, int run)
            throws Exception {
        // the jobs' RocksDB options; --rocksdb-memory fixes RocksDB's memory instead of the harness's 32 MB managed memory
        org.apache.flink.configuration.Configuration options = RocksDbTuning.options();
        String memory = ctx.option("rocksdb-memory", "");
        if (!memory.isEmpty()) {
            options.set(org.apache.flink.state.rocksdb.RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE,
                    org.apache.flink.configuration.MemorySize.parse(memory));
        }
        ProfileChainHarness h = new ProfileChainHarness(cities, Duration.ofDays(30), options);
        StateAccessTotals accesses = h.stateAccesses();
        try {
            long version = 1;
            for (String shop : SHOPS) {
                for (int g = 0; g < GROUPS.size(); g++) {
                    String category = List.of("lebensmittel.backwaren", "lebensmittel.obst-gemuese",
                            "lebensmittel.fleisch", "lebensmittel.kaffee-tee").get(g);
                    h.processBroadcastElement(new ProductGroupMapping(CITY, shop, GROUPS.get(g), category, version), version++);
                }
            }
            long start = ZonedDateTime.of(2023, 6, 1, 9, 0, 0, 0, BERLIN).toInstant().toEpochMilli();
            Random rng = new Random(20261204L + run);
            long load0 = System.nanoTime();
            long history = 0;
            for (int p = 0; p < people; p++) {
                h.processElement(registration(p, start - 60_000), start - 60_000);
                history++;
            }
            for (int d = 0; d < days; d++) history += day(h, people, start, d, rng);
            long loadNanos = System.nanoTime() - load0;
            h.setProcessingTime(1); // the dedupe horizon runs on processing time: keep it still
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long entries0 = accesses.total();
            jdk.jfr.Recording recording = startRecording(days, run);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long events = 0;
            for (int d = days; d < days + measuredDays; d++) events += day(h, people, start, d, rng);
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            if (recording != null) {
                recording.stop(); // writes the destination
                recording.close();
            }
            long entries = accesses.total() - entries0;
            accesses.measureBytes(true);
            long bytes0 = accesses.bytesTotal();
            long bytesEvents = 0;
            for (int d = days + measuredDays; d < days + measuredDays + 7; d++) bytesEvents += day(h, people, start, d, rng);
            long bytes = accesses.bytesTotal() - bytes0;
            StringBuilder byState = new StringBuilder();
            long measured = bytesEvents;
            accesses.bytesByState().forEach((name, rw) -> byState.append(String.format(" %s %.0f/%.0f",
                    name, (double) rw[0] / measured, (double) rw[1] / measured)));
            if (run >= 0) System.out.println("[bench history] " + days + " days: state bytes read/written per event by state:" + byState);
            return new Measured(history, events, cpu, wall, loadNanos, entries, bytesEvents, bytes);
        } finally {
            h.close();
        }
    }

    /**
     * With -Dhistory.jfr=DIR, a Java Flight Recorder recording of the timed days only (not the history load), written
     * to DIR/history-&lt;days&gt;d.jfr: where the CPU of one more event goes.
     */
    private static jdk.jfr.Recording startRecording(int days, int run) throws Exception {
        String dir = System.getProperty("history.jfr");
        if (dir == null || run < 0) return null;
        jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)); // the timed days last seconds only
        r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1)); // RocksDB works in JNI calls
        r.setDestination(java.nio.file.Path.of(dir, "history-" + days + "d.jfr"));
        r.start();
        return r;
    }

    /** One day of every person's events; returns how many. */
    private static long day(ProfileChainHarness h,
                            int people, long start, int d, Random rng) throws Exception {
        long n = 0;
        for (int p = 0; p < people; p++) {
            long t = start + d * 86_400_000L + (p % 600) * 60_000L;
            String shop = SHOPS.get(rng.nextInt(SHOPS.size()));
            int weekday = (d + p) % 7;
            if (weekday == 1 || weekday == 4) {
                n += send(h, p, shop, "p" + d, t, new Purchase("R-" + p + "-" + d, List.of(
                        new PurchaseLine(GROUPS.get(rng.nextInt(GROUPS.size())), 1, 100L + rng.nextInt(900)),
                        new PurchaseLine(GROUPS.get(rng.nextInt(GROUPS.size())), 2, 100L + rng.nextInt(900))), List.of()));
                n += send(h, p, shop, "b" + d, t + 1000, new BonusPointsEarned(10L + rng.nextInt(40), null));
            }
            if (weekday == 5) n += send(h, p, "tus-saarn", "c" + d, t, new EventCheckedIn("h" + d, "freizeit.sport"));
            if ((d + p) % 30 == 0) n += send(h, p, "portal", "e" + d, t, new EmployerVoucherCredited("stadtwerke", 5000L));
            if ((d + p) % 30 == 10) n += send(h, p, shop, "v" + d, t, new EmployerVoucherRedeemed(3000L, null));
            if ((d + p) % 90 == 3) n += send(h, p, shop, "n" + d, t, new NewsletterSubscribed("news-" + shop));
        }
        return n;
    }

    private static int send(ProfileChainHarness h,
                            int person, String participant, String id, long time, Object payload) throws Exception {
        h.processElement(AnonymousEvent.newBuilder().setEventId(id).setCity(CITY).setParticipant(participant)
                .setEventTime(time).setReceivedTime(time).setPseudonym("person-" + person).setPayload(payload).build(), time);
        return 1;
    }

    private static AnonymousEvent registration(int person, long time) {
        AnonymousRegistration r = AnonymousRegistration.newBuilder().setBirthYear(1950 + person % 50)
                .setGender(person % 2 == 0 ? Gender.FEMALE : Gender.MALE).setDistrict("Saarn")
                .setHouseholdType(HouseholdType.FAMILY).setInterests(List.of("Sport"))
                .setConsents(new Consents(true, true, false)).build();
        return AnonymousEvent.newBuilder().setEventId("reg").setCity(CITY).setParticipant("portal")
                .setEventTime(time).setReceivedTime(time).setPseudonym("person-" + person).setPayload(r).build();
    }
}
