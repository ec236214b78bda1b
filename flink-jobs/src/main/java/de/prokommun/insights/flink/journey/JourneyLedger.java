package de.prokommun.insights.flink.journey;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.ledger.ContributionLedger;
import de.prokommun.insights.flink.ledger.LedgerRow;
import de.prokommun.insights.flink.ledger.ProductGroups;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The person's journey contributions, in the keyed state of the profile operator beside the
 * {@link ContributionLedger}: the person's live journey facts (visits, engagements, employer vouchers, bonus points)
 * and, per scope (a month, a year, the first visit), the rows it emitted. Whenever facts change it recomputes the
 * rows of every scope the change can reach ({@link JourneyScopes}) from the live facts ({@link JourneyRows}) and
 * emits the difference: the negation of rows that no longer hold, then the new rows with the segment of the moment.
 * Rows that still hold are left alone and keep their segment. So the sum of everything emitted always equals the
 * rows of the live facts, and {@link #retractEverything} negates exactly what is left.
 */
public final class JourneyLedger {
    private final MapState<String, JourneyFact> facts;
    private final MapState<String, EmittedRows> emitted;

    public JourneyLedger(RuntimeContext context) {
        facts = context.getMapState(new MapStateDescriptor<>("journey-facts", Types.STRING,
                TypeInformation.of(JourneyFact.class)));
        emitted = context.getMapState(new MapStateDescriptor<>("journey-emitted", Types.STRING,
                TypeInformation.of(EmittedRows.class)));
    }

    /**
     * Records one accepted event of a profiled person: a journey fact is added (a purchase replaces the live one
     * with the same receipt), a PurchaseRetracted removes the receipt's visit; other events change nothing.
     */
    public void record(AnonymousEvent event, ContributionLedger.Person person, Function<String, String> placeOf,
                       ProductGroups.Lookup groups, Consumer<ContributionDelta> out) throws Exception {
        if (event.getPayload() instanceof PurchaseRetracted retracted) {
            retractReceipts(List.of(retracted.getReceipt()), person, out);
            return;
        }
        JourneyFact fact = JourneyFacts.of(event, person.city(), placeOf, groups);
        if (fact == null) return;
        change(List.of(), fact, person, out);
    }

    /** Removes the visits of these receipts (retraction, retention expiry); unknown receipts change nothing. */
    public void retractReceipts(Collection<String> receipts, ContributionLedger.Person person,
                                Consumer<ContributionDelta> out) throws Exception {
        List<String> keys = new ArrayList<>();
        for (String receipt : receipts) {
            if (facts.contains(JourneyFacts.receiptKey(receipt))) keys.add(JourneyFacts.receiptKey(receipt));
        }
        if (!keys.isEmpty()) change(keys, null, person, out);
    }

    /** Emits the negation of every row still standing and clears all journey state of the person. */
    public void retractEverything(String city, Consumer<ContributionDelta> out) throws Exception {
        for (EmittedRows scope : emitted.values()) {
            for (LedgerRow row : scope.rows) out.accept(row.toDelta(city, -1));
        }
        clear();
    }

    public void clear() {
        facts.clear();
        emitted.clear();
    }

    // ---- the change and its reconciliation ----------------------------------------------------------------------

    private void change(List<String> removedKeys, JourneyFact added, ContributionLedger.Person person,
                        Consumer<ContributionDelta> out) throws Exception {
        Map<String, JourneyFact> live = new HashMap<>();
        for (Map.Entry<String, JourneyFact> e : facts.entries()) live.put(e.getKey(), e.getValue());
        Facts before = new Facts(live.values());
        TreeSet<String> scopes = new TreeSet<>();
        List<String> removed = new ArrayList<>(removedKeys);
        String addedKey = added == null ? null : JourneyFacts.keyOf(added);
        if (addedKey != null && live.containsKey(addedKey)) removed.add(addedKey); // replaced by a newer version
        for (String key : removed) {
            JourneyScopes.affectedBy(live.remove(key), before, person.zone(), scopes);
            facts.remove(key);
        }
        if (added != null) {
            live.put(addedKey, added);
            facts.put(addedKey, added);
        }
        Facts after = new Facts(live.values());
        if (added != null) JourneyScopes.affectedBy(added, after, person.zone(), scopes);
        for (String scope : scopes) reconcile(scope, after, person, out);
    }

    private void reconcile(String scope, Facts live, ContributionLedger.Person person, Consumer<ContributionDelta> out)
            throws Exception {
        Map<String, LedgerRow> desired = JourneyRows.desired(scope, live, person.zone(), person.clamps());
        EmittedRows previous = emitted.get(scope);
        Map<String, LedgerRow> standing = new LinkedHashMap<>();
        if (previous != null) {
            for (Map.Entry<String, LedgerRow> e : previous.asMap().entrySet()) {
                if (desired.containsKey(e.getKey())) standing.put(e.getKey(), e.getValue());
                else out.accept(e.getValue().toDelta(person.city(), -1));
            }
        }
        for (Map.Entry<String, LedgerRow> e : desired.entrySet()) {
            if (standing.containsKey(e.getKey())) continue;
            LedgerRow row = e.getValue();
            row.segment = person.segment();
            out.accept(row.toDelta(person.city(), 1));
            standing.put(e.getKey(), row);
        }
        if (standing.isEmpty()) emitted.remove(scope);
        else if (previous == null || !standing.keySet().equals(previous.asMap().keySet())) {
            emitted.put(scope, EmittedRows.of(standing));
        }
    }
}
