package de.prokommun.insights.flink.journey;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import de.prokommun.insights.flink.ledger.ContributionLedger;
import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.flink.state.StateAccessCount;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The journey operator, keyed by pseudonym behind the profile operator (same key, same parallelism, no shuffle): the
 * person's {@link JourneyLedger}, fed with {@link JourneyChange}s, its journey contribution rows out. The profile
 * operator resolves the fact (category from the product-group mappings, district of the participant) and decides
 * retention and erasure; this operator holds the journey state alone and has no timers. An erasure clears all of it.
 */
public final class JourneyLedgerFunction extends KeyedProcessFunction<String, JourneyChange, ContributionDelta> {
    private static final long serialVersionUID = 1L;
    /** The profile operator's side output of journey changes. */
    public static final OutputTag<JourneyChange> CHANGES = new OutputTag<>("journey-changes") {};

    private final CityCatalog cities;

    private transient KeyedStates states;
    private transient JourneyLedger journey;
    private transient Counter ignored;

    public JourneyLedgerFunction(CityCatalog cities) {
        this.cities = cities;
    }

    @Override
    public void open(OpenContext openContext) {
        states = KeyedStates.of(getRuntimeContext());
        journey = new JourneyLedger(states);
        ignored = getRuntimeContext().getMetricGroup().counter("journeyChangesOfUnknownCity");
    }

    /** Keyed state entries read and written so far by this operator instance (also its metrics). */
    public StateAccessCount stateAccesses() {
        return states.count();
    }

    @Override
    public void processElement(JourneyChange change, Context ctx, Collector<ContributionDelta> out) throws Exception {
        if (change.erased) {
            journey.retractEverything(change.city, out::collect);
            return;
        }
        CityConfig city = cities.city(change.city).orElse(null);
        if (city == null) { // the profile operator only sends changes of cities it knows: a catalogue changed between
            ignored.inc();
            return;
        }
        ContributionLedger.Person person = new ContributionLedger.Person(change.city, city.zone(), change.segment, false,
                null, city.clamps());
        if (change.retractedReceipts != null) journey.retractReceipts(change.retracted(), person, out::collect);
        if (change.added != null) journey.add(change.added, person, out::collect);
    }
}
