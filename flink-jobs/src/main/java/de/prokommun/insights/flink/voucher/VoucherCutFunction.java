package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.flink.state.StateAccessCount;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The persons' monthly cuts of gift-voucher amounts as an operator, keyed by pseudonym behind {@link VoucherJudge}:
 * {@link PersonVoucherCuts}, fed with judged {@link PersonVoucherChange}s, the facts with their cut amounts out
 * (without the pseudonym), keyed downstream by voucher into {@link VoucherCirculation}. No timers; the person's state
 * empties as the removals of an erasure arrive from the judge.
 */
public final class VoucherCutFunction extends KeyedProcessFunction<String, PersonVoucherChange, VoucherFact> {
    private static final long serialVersionUID = 1L;

    private final CityCatalog cities;

    private transient KeyedStates states;
    private transient PersonVoucherCuts cuts;
    private transient Counter ignored;

    public VoucherCutFunction(CityCatalog cities) {
        this.cities = cities;
    }

    @Override
    public void open(OpenContext openContext) {
        states = KeyedStates.of(getRuntimeContext());
        cuts = new PersonVoucherCuts(states);
        ignored = getRuntimeContext().getMetricGroup().counter("voucherCutsOfUnknownCity");
    }

    /** Keyed state entries read and written so far by this operator instance (also its metrics). */
    public StateAccessCount stateAccesses() {
        return states.count();
    }

    @Override
    public void processElement(PersonVoucherChange change, Context ctx, Collector<VoucherFact> out) throws Exception {
        CityConfig city = cities.city(change.city).orElse(null);
        long cap;
        if (city != null) {
            cap = city.clamps().voucherCents();
        } else if (!change.fact.live) { // a removal always goes through: the rows must lose the fact
            cap = 0;
        } else { // a catalogue changed between the person side and here
            ignored.inc();
            return;
        }
        cuts.apply(change.fact, change.counted, cap, out::collect);
    }
}
