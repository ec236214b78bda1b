package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.flink.state.StateAccessCount;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The person side of gift-voucher circulation as its own operator, keyed by pseudonym behind the profile operator
 * (same key, same parallelism, no shuffle): the person's {@link VoucherFacts}, fed with {@link PersonVoucherChange}s,
 * each new fact out with its full amount and the pseudonym, keyed downstream by voucher into {@link VoucherJudge}
 * (then {@link VoucherCutFunction}, then {@link VoucherCirculation}). No timers; an erasure removes every live fact
 * downstream and clears the state.
 */
public final class VoucherFactsFunction extends KeyedProcessFunction<String, PersonVoucherChange, PersonVoucherChange> {
    private static final long serialVersionUID = 1L;
    /** The profile operator's side output of the persons' voucher changes. */
    public static final OutputTag<PersonVoucherChange> CHANGES = new OutputTag<>("person-voucher-changes") {};

    private final CityCatalog cities;

    private transient KeyedStates states;
    private transient VoucherFacts vouchers;
    private transient Counter ignored;

    public VoucherFactsFunction(CityCatalog cities) {
        this.cities = cities;
    }

    @Override
    public void open(OpenContext openContext) {
        states = KeyedStates.of(getRuntimeContext());
        vouchers = new VoucherFacts(states);
        ignored = getRuntimeContext().getMetricGroup().counter("voucherChangesOfUnknownCity");
    }

    /** Keyed state entries read and written so far by this operator instance (also its metrics). */
    public StateAccessCount stateAccesses() {
        return states.count();
    }

    @Override
    public void processElement(PersonVoucherChange change, Context ctx, Collector<PersonVoucherChange> out)
            throws Exception {
        String person = ctx.getCurrentKey();
        if (change.erased) {
            vouchers.retractEverything(f -> out.collect(PersonVoucherChange.of(person, f)));
            return;
        }
        CityConfig city = cities.city(change.city).orElse(null);
        if (city == null) { // the profile operator only sends facts of cities it knows: a catalogue changed between
            ignored.inc();
            return;
        }
        vouchers.record(change.fact, f -> out.collect(PersonVoucherChange.of(person, f)));
    }
}
