package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.Measures.Names;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The unmapped product-group report from every purchase a participant submitted (issue 15, finding 1), not only
 * from the purchases of profiled residents: a receipt counts here <em>before</em> the wait for a consented
 * registration, so a participant that submits one purchase per resident it knows, each with a unique product
 * group, sees every group — consenting resident or not — and learns nothing about membership. These are the
 * participant's own receipt lines: no person, no segment, no pseudonym ({@code gender}/{@code householdType}
 * UNKNOWN), measure {@link Measures#SUBMITTED_UNMAPPED_LINE}. It reads the categories the
 * {@link ProductGroupCategoriser} resolved, so a mapping applies to purchases that passed it after it arrived; lines
 * are counted as submitted (a later retraction or an identical re-send is not netted: the report tells the
 * participant which groups still need a mapping, not a sales figure).
 * Card-only purchases count once their card is linked (they reach the anonymous topic then).
 */
public final class SubmittedUnmappedLines extends ProcessFunction<AnonymousEvent, ContributionDelta> {
    private static final long serialVersionUID = 1L;

    private final CityCatalog cities;
    private transient Counter counted;

    public SubmittedUnmappedLines(CityCatalog cities) {
        this.cities = cities;
    }

    @Override
    public void open(OpenContext openContext) {
        counted = getRuntimeContext().getMetricGroup().counter("submittedUnmappedLines");
    }

    @Override
    public void processElement(AnonymousEvent event, Context ctx, Collector<ContributionDelta> out) throws Exception {
        for (ContributionDelta d : rows(event, ProductGroups.categoriesOf(event))) {
            if (counted != null) counted.inc(d.getCount());
            out.collect(d);
        }
    }

    /** One row per unmapped product group of a purchase, count = its lines; pure. */
    public List<ContributionDelta> rows(AnonymousEvent event, ProductGroups.Lookup groups) throws Exception {
        if (!(event.getPayload() instanceof Purchase purchase)) return List.of();
        String city = event.getCity();
        String participant = event.getParticipant();
        CityConfig config = cities.city(city).orElse(null);
        if (config == null || participant == null) return List.of();
        Map<String, long[]> unmapped = new TreeMap<>();
        for (PurchaseLine line : purchase.getLines()) {
            String group = line.getProductGroup();
            if (groups.categoryOf(city, participant, group) != null) continue;
            long[] sums = unmapped.computeIfAbsent(group, g -> new long[3]);
            sums[0]++;
            sums[1] += line.getQuantity();
            sums[2] += line.getAmountCents();
        }
        if (unmapped.isEmpty()) return List.of();
        LocalDate date = Instant.ofEpochMilli(event.getEventTime()).atZone(config.zone()).toLocalDate();
        return unmapped.entrySet().stream().map(e -> ContributionDelta.newBuilder()
                .setCity(city).setMeasure(Names.SUBMITTED_UNMAPPED_LINE)
                .setDay((int) date.toEpochDay()).setMonth(date.getYear() * 100 + date.getMonthValue()).setYear(date.getYear())
                .setParticipant(participant).setCategory(e.getKey())
                .setGender("UNKNOWN").setHouseholdType("UNKNOWN")
                .setCount(e.getValue()[0]).setQuantity(e.getValue()[1]).setAmountCents(e.getValue()[2])
                .setEventTime(LedgerRow.dayMillis((int) date.toEpochDay())).build()).toList(); // the day, not the time (issue 14)
    }
}
