package de.prokommun.insights.flink.journey;

import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.ledger.ContributionLedger;
import de.prokommun.insights.flink.ledger.LedgerRow;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.ledger.ReceiptRef;
import de.prokommun.insights.flink.state.KeyedStates;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * The person's journey contributions, in the keyed state of the journey operator ({@link JourneyLedgerFunction},
 * behind the profile operator, which owns the {@link ContributionLedger}): the person's live journey facts (visits, engagements, employer vouchers, bonus points)
 * and, per scope (a month's family of rows, a year, the first visit), the rows it emitted: per scope their
 * fingerprints ({@link EmittedScope}), per row its text ({@link EmittedRow}), so that diffing a scope reads a word per
 * row and only the rows that come or go are read or written as text. Whenever facts change it recomputes the
 * rows of every scope the change can reach ({@link JourneyScopes}) from the live facts ({@link JourneyRows}) and
 * emits the difference: the negation of rows that no longer hold, then the new rows with the segment of the moment.
 * Rows that still hold are left alone and keep their segment. So the sum of everything emitted always equals the
 * rows of the live facts, and {@link #retractEverything} negates exactly what is left.
 * <p>
 * Facts are kept per month ({@link MonthFacts}) with a small {@link JourneyIndex} and per-year buyers
 * ({@link YearBuyers}), and a scope is computed from the few months its rows depend on: one event reads and writes a
 * bounded number of state entries, whatever the length of the person's history. Only the first
 * {@code visitsPerPersonMonth} facts of each group (visits, engagements, credits, redemptions, bonus earned, bonus
 * redeemed) of a month count (docs/JOURNEY-MEASURES.md): a month entry and the rows recomputed from it stay bounded
 * however many facts a person has in a month (the live feed restamps a city's events to now, so a month fills up by
 * hundreds of facts per person an hour); the facts beyond are kept by key and move up when a counted one leaves.
 */
public final class JourneyLedger {
    /** Purchases up to 30 days after an engagement count: from a month's last day they reach two months on. */
    private static final int ENGAGEMENT_MONTHS_AHEAD = 2;

    private final MapState<String, JourneyFact> facts;
    private final MapState<Integer, MonthFacts> months;
    private final MapState<Integer, YearBuyers> years;
    private final ValueState<JourneyIndex> index;
    /** Per scope, the fingerprints of the rows it emitted and has not negated. */
    private final MapState<String, EmittedScope> emittedScopes;
    /** Per row fingerprint, the row's text: read only to negate it. */
    private final MapState<Long, EmittedRow> emittedRows;
    // State written by earlier layouts ("journey-emitted", "journey-emitted-rows": every row's text in its scope's
    // entry) is not read: a local state from before needs ./run-local --fresh.

    public JourneyLedger(KeyedStates states) {
        facts = states.map("journey-fact-keys", StringSerializer.INSTANCE, JourneyFactSerializer.INSTANCE);
        months = states.map("journey-months", IntSerializer.INSTANCE, MonthFactsSerializer.INSTANCE);
        years = states.map("journey-years", IntSerializer.INSTANCE, YearBuyersSerializer.INSTANCE);
        index = states.value("journey-index", JourneyIndexSerializer.INSTANCE);
        emittedScopes = states.map("journey-emitted-scopes", StringSerializer.INSTANCE, EmittedScopeSerializer.INSTANCE);
        emittedRows = states.map("journey-emitted-row", LongSerializer.INSTANCE, EmittedRowSerializer.INSTANCE);
    }

    /** Adds one journey fact of the person (a purchase replaces the live one with the same receipt). */
    public void add(JourneyFact fact, ContributionLedger.Person person, Consumer<ContributionDelta> out) throws Exception {
        change(List.of(), fact, person, out);
    }

    /**
     * Removes the visits of these receipts (retraction, retention expiry), each its participant's only (issue 15);
     * unknown receipts change nothing.
     */
    public void retractReceipts(Collection<ReceiptRef> receipts, ContributionLedger.Person person,
                                Consumer<ContributionDelta> out) throws Exception {
        List<String> keys = new ArrayList<>();
        for (ReceiptRef receipt : receipts) {
            String key = storedKeyOf(receipt);
            if (key != null) keys.add(key);
        }
        if (!keys.isEmpty()) change(keys, null, person, out);
    }

    /**
     * The key under which the participant's receipt is stored, or null: a purchase fact is stored under
     * {@link JourneyFacts#keyOf} (participant and receipt); state written before receipts were one participant's
     * holds it under the receipt alone, found here if that fact is the same participant's.
     */
    private String storedKeyOf(ReceiptRef receipt) throws Exception {
        String key = JourneyFacts.receiptKey(receipt);
        if (facts.contains(key)) return key;
        String legacy = receipt.legacyKey(JourneyFacts.PURCHASE_PREFIX);
        JourneyFact older = facts.get(legacy);
        return older != null && receipt.participant().equals(older.participant) ? legacy : null;
    }

    /** Emits the negation of every row still standing and clears all journey state of the person. */
    public void retractEverything(String city, Consumer<ContributionDelta> out) throws Exception {
        for (EmittedRow row : emittedRows.values()) out.accept(negation(row, city));
        clear();
    }

    public void clear() {
        facts.clear();
        months.clear();
        years.clear();
        index.clear();
        emittedScopes.clear();
        emittedRows.clear();
    }

    // ---- the change and its reconciliation ----------------------------------------------------------------------

    private void change(List<String> removedKeys, JourneyFact added, ContributionLedger.Person person,
                        Consumer<ContributionDelta> out) throws Exception {
        Live live = new Live(person.zone());
        long limit = person.clamps().visits();
        TreeSet<String> scopes = new TreeSet<>();
        List<String> removed = new ArrayList<>(removedKeys);
        String addedKey = added == null ? null : JourneyFacts.keyOf(added);
        String replaced = added == null ? null : added.isPurchase()
                ? storedKeyOf(new ReceiptRef(added.participant, added.id))
                : facts.contains(addedKey) ? addedKey : null;
        if (replaced != null) removed.add(replaced); // replaced by a newer version
        Map<Integer, Map<Integer, Integer>> vacancies = new TreeMap<>(); // month → group → places left, when full before
        for (String key : removed) {
            JourneyFact gone = facts.get(key);
            facts.remove(key);
            String factKey = JourneyFacts.keyOf(gone); // the month compares keys derived from its facts
            int m = Periods.month(gone.eventTime, person.zone());
            if (!live.month(m).holdsKey(factKey)) continue; // beyond the month's limit: it never counted
            int group = MonthFacts.group(gone);
            if (live.month(m).countOf(group) >= limit) vacancies.computeIfAbsent(m, x -> new TreeMap<>()).put(group, 0);
            live.remove(factKey, gone);
            JourneyScopes.affectedBy(gone, live, person.zone(), scopes);
        }
        if (!vacancies.isEmpty()) {
            for (Map.Entry<Integer, Map<Integer, Integer>> month : vacancies.entrySet()) {
                for (Map.Entry<Integer, Integer> group : month.getValue().entrySet()) {
                    group.setValue((int) Math.max(0, limit - live.month(month.getKey()).countOf(group.getKey())));
                }
            }
            for (JourneyFact next : nextBeyondLimit(vacancies, live, person.zone())) {
                live.add(next);
                JourneyScopes.affectedBy(next, live, person.zone(), scopes);
            }
        }
        boolean addition = removed.isEmpty(); // only added: scopes whose rows only grow get just the new ones
        if (added != null) {
            facts.put(addedKey, added);
            addition &= addCounted(added, live, limit, person.zone(), scopes);
        }
        live.save();
        boolean last = addition && added != null && live.isLastOfItsKind(added);
        for (String scope : scopes) {
            Map<String, LedgerRow> appended = addition ? live.appendedRowsOf(scope, person, added, last) : null;
            if (appended != null) reconcileAdded(scope, appended, person, out);
            else reconcile(scope, live.rowsOf(scope, person), person, out);
        }
    }

    /**
     * Counts the fact if it is among the month's first {@code limit} facts of its group (in order): a later one is
     * kept (it moves up when a counted one is retracted) but changes no row, so that an event's cost does not grow
     * with the number of facts a person has in a month; an earlier one pushes the last counted one out. Returns
     * false when it did push one out (the month's rows then change beyond what the added fact brings).
     */
    private static boolean addCounted(JourneyFact added, Live live, long limit, ZoneId zone, TreeSet<String> scopes)
            throws Exception {
        int group = MonthFacts.group(added);
        MonthFacts month = live.month(Periods.month(added.eventTime, zone));
        boolean pushedOut = false;
        if (month.countOf(group) >= limit) {
            JourneyFact last = month.lastOf(group);
            if (JourneyFact.ORDER.compare(added, last) > 0) return true;
            live.remove(JourneyFacts.keyOf(last), last);
            JourneyScopes.affectedBy(last, live, zone, scopes);
            pushedOut = true;
        }
        live.add(added);
        JourneyScopes.affectedBy(added, live, zone, scopes);
        return !pushedOut;
    }

    /**
     * The facts that move up into the places counted facts left in full months: per month and group, the first ones
     * in order of those kept beyond the limit. Reads all of the person's facts — only when a counted fact of a full
     * month is retracted or expires, which is rare.
     */
    private List<JourneyFact> nextBeyondLimit(Map<Integer, Map<Integer, Integer>> vacancies, Live live, ZoneId zone)
            throws Exception {
        Map<String, List<JourneyFact>> candidates = new HashMap<>();
        for (Map.Entry<String, JourneyFact> e : facts.entries()) {
            JourneyFact f = e.getValue();
            int m = Periods.month(f.eventTime, zone);
            Map<Integer, Integer> groups = vacancies.get(m);
            if (groups == null || !groups.containsKey(MonthFacts.group(f)) || live.month(m).holdsKey(JourneyFacts.keyOf(f))) {
                continue;
            }
            candidates.computeIfAbsent(m + "/" + MonthFacts.group(f), k -> new ArrayList<>()).add(f);
        }
        List<JourneyFact> next = new ArrayList<>();
        vacancies.forEach((m, groups) -> groups.forEach((group, places) -> {
            List<JourneyFact> waiting = candidates.getOrDefault(m + "/" + group, new ArrayList<>());
            waiting.sort(JourneyFact.ORDER);
            next.addAll(waiting.subList(0, Math.min(places, waiting.size())));
        }));
        return next;
    }

    /**
     * Diffs the scope's desired rows against the fingerprints of what it emitted: a row that no longer holds is read
     * (its text) and negated, a new row is emitted and its text written; rows that still hold are not read and keep
     * their segment.
     */
    private void reconcile(String scope, Map<String, LedgerRow> desired, ContributionLedger.Person person,
                           Consumer<ContributionDelta> out) throws Exception {
        EmittedScope previous = emittedScopes.get(scope);
        long[] was = previous == null ? new long[0] : previous.rows;
        long[] wanted = new long[desired.size()];
        int n = 0;
        for (String key : desired.keySet()) wanted[n++] = RowFingerprints.of(scope, key);
        long[] sortedWanted = wanted.clone();
        Arrays.sort(sortedWanted);
        boolean changed = false;
        for (long fingerprint : was) {
            if (Arrays.binarySearch(sortedWanted, fingerprint) >= 0) continue;
            EmittedRow gone = emittedRows.get(fingerprint);
            out.accept(negation(gone, person.city()));
            emittedRows.remove(fingerprint);
            changed = true;
        }
        Emitter emitter = new Emitter(person, out);
        n = 0;
        for (Map.Entry<String, LedgerRow> e : desired.entrySet()) {
            long fingerprint = wanted[n++];
            if (Arrays.binarySearch(was, fingerprint) >= 0) continue;
            emitter.emit(fingerprint, e.getKey(), e.getValue());
            changed = true;
        }
        if (!changed) return;
        if (sortedWanted.length == 0) emittedScopes.remove(scope);
        else emittedScopes.put(scope, EmittedScope.of(sortedWanted));
    }

    /**
     * Emits the rows of {@code added} the scope does not hold yet and adds them to its fingerprints: for a change
     * after which the scope holds what it held and these ({@link JourneyRows#appended}), so its standing rows need
     * not be recomputed.
     */
    private void reconcileAdded(String scope, Map<String, LedgerRow> added, ContributionLedger.Person person,
                                Consumer<ContributionDelta> out) throws Exception {
        if (added.isEmpty()) return;
        EmittedScope previous = emittedScopes.get(scope);
        long[] was = previous == null ? new long[0] : previous.rows;
        long[] fresh = new long[added.size()];
        int n = 0;
        Emitter emitter = new Emitter(person, out);
        for (Map.Entry<String, LedgerRow> e : added.entrySet()) {
            long fingerprint = RowFingerprints.of(scope, e.getKey());
            if (Arrays.binarySearch(was, fingerprint) >= 0) continue;
            emitter.emit(fingerprint, e.getKey(), e.getValue());
            fresh[n++] = fingerprint;
        }
        if (n == 0) return;
        long[] now = Arrays.copyOf(was, was.length + n);
        System.arraycopy(fresh, 0, now, was.length, n);
        Arrays.sort(now);
        emittedScopes.put(scope, EmittedScope.of(now));
    }

    /** Emits new rows with the person's segment of the moment and keeps each row's text to negate it later. */
    private final class Emitter {
        private final ContributionLedger.Person person;
        private final Consumer<ContributionDelta> out;
        private String segment;

        Emitter(ContributionLedger.Person person, Consumer<ContributionDelta> out) {
            this.person = person;
            this.out = out;
        }

        void emit(long fingerprint, String key, LedgerRow row) throws Exception {
            row.segment = person.segment();
            out.accept(row.toDelta(person.city(), 1));
            if (segment == null) segment = RowText.segmentOf(person.segment());
            emittedRows.put(fingerprint, EmittedRow.of(RowText.contentOfKey(key), segment));
        }
    }

    /** The negation of a row the ledger emitted: rebuilt from its content and its segment. */
    private static ContributionDelta negation(EmittedRow row, String city) {
        return RowText.rowOf(row.content, row.segment).toDelta(city, -1);
    }

    /**
     * The person's live facts as far as one change needs them: the months, years and index it reads are loaded
     * once and written back once.
     */
    private final class Live implements JourneyScopes.Neighbourhood {
        private final ZoneId zone;
        private final Map<Integer, MonthFacts> monthCache = new HashMap<>();
        private final Map<Integer, YearBuyers> yearCache = new HashMap<>();
        private final java.util.Set<Integer> dirtyMonths = new java.util.HashSet<>();
        private final java.util.Set<Integer> dirtyYears = new java.util.HashSet<>();
        private final java.util.Set<String> changedBuyers = new java.util.HashSet<>();
        private JourneyIndex idx;
        private boolean indexDirty;

        Live(ZoneId zone) throws Exception {
            this.zone = zone;
            JourneyIndex stored = index.value();
            this.idx = stored == null ? new JourneyIndex() : stored;
        }

        void add(JourneyFact f) throws Exception {
            int m = Periods.month(f.eventTime, zone);
            monthCache.put(m, month(m).with(f));
            dirtyMonths.add(m);
            changeSummaries(f, m, 1);
        }

        void remove(String key, JourneyFact f) throws Exception {
            int m = Periods.month(f.eventTime, zone);
            monthCache.put(m, month(m).without(key));
            dirtyMonths.add(m);
            changeSummaries(f, m, -1);
        }

        private void changeSummaries(JourneyFact f, int m, int sign) throws Exception {
            JourneyFact first = f.isVisit() ? firstVisit() : null; // before the index changes
            if (idx.change(f, m, month(m))) indexDirty = true; // most events leave the index as it was: not written
            if (f.isVisit()) {
                if (sign > 0 && (first == null || JourneyFact.ORDER.compare(f, first) < 0)) {
                    idx.firstVisit = f;
                    indexDirty = true;
                } else if (sign < 0 && first != null && JourneyFacts.keyOf(first).equals(JourneyFacts.keyOf(f))) {
                    Integer firstMonth = idx.firstVisitMonth(); // the first visit left: the next one is the first of its month
                    idx.firstVisit = firstMonth == null ? null : month(firstMonth).firstVisit();
                    indexDirty = true;
                }
            }
            if (f.isPurchase()) {
                int y = Periods.year(f.eventTime, zone);
                if (year(y).change(f.participant, sign)) changedBuyers.add(y + "\u001f" + f.participant);
                dirtyYears.add(y);
            }
        }

        /**
         * The person's first live visit, kept in the index: finding it in its month read a month of years ago on
         * every visit. An index written before it was kept there finds it once in the month.
         */
        JourneyFact firstVisit() throws Exception {
            if (idx.firstVisit == null && idx.firstVisitMonth() != null) {
                idx.firstVisit = month(idx.firstVisitMonth()).firstVisit();
                indexDirty = true;
            }
            return idx.firstVisit;
        }

        MonthFacts month(int m) throws Exception {
            MonthFacts cached = monthCache.get(m);
            if (cached != null) return cached;
            MonthFacts stored = months.get(m);
            MonthFacts found = stored == null ? new MonthFacts() : stored;
            monthCache.put(m, found);
            return found;
        }

        YearBuyers year(int y) throws Exception {
            YearBuyers cached = yearCache.get(y);
            if (cached != null) return cached;
            YearBuyers stored = years.get(y);
            YearBuyers found = stored == null ? new YearBuyers() : stored;
            yearCache.put(y, found);
            return found;
        }

        void save() throws Exception {
            for (int m : dirtyMonths) {
                MonthFacts f = monthCache.get(m);
                if (f.isEmpty()) months.remove(m);
                else months.put(m, f);
            }
            for (int y : dirtyYears) {
                YearBuyers b = yearCache.get(y);
                if (b.isEmpty()) years.remove(y);
                else years.put(y, b);
            }
            if (indexDirty) {
                if (idx.isEmpty()) index.clear();
                else index.update(idx);
            }
        }

        @Override
        public Integer monthOfVisitAfter(JourneyFact visit) throws Exception {
            int m = Periods.month(visit.eventTime, zone);
            if (month(m).visitAfter(visit) != null) return m;
            return idx.visitMonthAfter(m);
        }

        @Override
        public List<Integer> monthsOfRedemptionsAfter(JourneyFact credit) throws Exception {
            int m = Periods.month(credit.eventTime, zone);
            Integer until = month(m).creditAfter(credit) != null ? Integer.valueOf(m) : idx.creditMonthAfter(m);
            return idx.redemptionMonthsBetween(m, until);
        }

        @Override
        public boolean isFirstVisit(JourneyFact visit) throws Exception {
            JourneyFact first = firstVisit();
            return first == null || JourneyFact.ORDER.compare(visit, first) <= 0;
        }

        @Override
        public boolean changedYearBuyers(JourneyFact purchase) {
            return changedBuyers.contains(Periods.year(purchase.eventTime, zone) + "\u001f" + purchase.participant);
        }

        @Override
        public boolean changedMonthBuyers(JourneyFact purchase) throws Exception {
            for (JourneyFact f : month(Periods.month(purchase.eventTime, zone)).facts) {
                if (f != purchase && f.isPurchase() && f.participant.equals(purchase.participant)
                        && !JourneyFacts.keyOf(f).equals(JourneyFacts.keyOf(purchase))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public List<Integer> monthsOfEngagementsBefore(JourneyFact purchase) throws Exception {
            long from = purchase.eventTime - JourneyMeasures.ENGAGEMENT_WINDOW_MILLIS;
            int last = Periods.month(purchase.eventTime, zone);
            List<Integer> found = new ArrayList<>();
            for (int m = Periods.month(from, zone); m <= last; m = Periods.nextMonth(m)) {
                if (!idx.hasEngagementsIn(m)) continue;
                for (JourneyFact e : month(m).facts) {
                    if (JourneyFact.ENGAGEMENT.equals(e.kind) && e.participant.equals(purchase.participant)
                            && e.eventTime >= from && e.eventTime < purchase.eventTime) {
                        found.add(m);
                        break;
                    }
                }
            }
            return found;
        }

        /**
         * The rows the just added fact brings into the scope ({@link JourneyRows#appended}), from the same facts
         * {@link #rowsOf} reads; null when the scope must be recomputed.
         */
        Map<String, LedgerRow> appendedRowsOf(String scope, ContributionLedger.Person person, JourneyFact added,
                                              boolean last) throws Exception {
            JourneyScope s = JourneyScope.of(scope);
            if (s.kind() == JourneyScope.Kind.YEAR) {
                if (!added.isPurchase()) return null;
                return JourneyRows.yearRows(s.period(), year(s.period()).asSet(), zone, added.participant);
            }
            if (s.kind() != JourneyScope.Kind.MONTH || s.family() == null) return null;
            if (s.family().equals(Periods.ENGAGED) || s.family().equals(Periods.EMPLOYER)) return null;
            return JourneyRows.appended(s, new Facts(monthView(s.period(), s.family())), added, last, zone,
                    person.clamps());
        }

        /**
         * Whether the fact comes after every live fact of its kind its scopes' rows depend on: a visit after every
         * visit of the person (a flow from it to a later one would change), a bonus event after every one of its
         * kind in its month.
         */
        boolean isLastOfItsKind(JourneyFact f) throws Exception {
            int m = Periods.month(f.eventTime, zone);
            if (f.isVisit()) {
                JourneyFact lastVisit = month(m).lastVisit();
                return lastVisit != null && JourneyFacts.keyOf(lastVisit).equals(JourneyFacts.keyOf(f))
                        && idx.visitMonthAfter(m) == null;
            }
            if (JourneyFact.BONUS_EARNED.equals(f.kind) || JourneyFact.BONUS_REDEEMED.equals(f.kind)) {
                JourneyFact[] facts = month(m).facts;
                for (int i = facts.length - 1; i >= 0; i--) {
                    if (facts[i].kind.equals(f.kind)) return JourneyFacts.keyOf(facts[i]).equals(JourneyFacts.keyOf(f));
                }
            }
            return false;
        }

        /** The rows the scope should hold, from exactly the facts they depend on. */
        Map<String, LedgerRow> rowsOf(String scope, ContributionLedger.Person person) throws Exception {
            JourneyScope s = JourneyScope.of(scope);
            return switch (s.kind()) {
                case FIRST -> {
                    JourneyFact first = firstVisit();
                    List<JourneyFact> view = first == null ? List.of() : List.of(first);
                    yield JourneyRows.desired(s, new Facts(view), zone, person.clamps());
                }
                case YEAR -> JourneyRows.yearRows(s.period(), year(s.period()).asSet(), zone);
                case MONTH -> JourneyRows.desired(s, new Facts(monthView(s.period(), s.family())), zone, person.clamps());
            };
        }

        /**
         * A month's rows depend on its own facts and, per family (null: all of them), on the visit before its first
         * visit (flows), purchases up to 30 days after its engagements (engaged) and the latest credit before the
         * month (employer: its redemptions'). Only the months a family needs are read: each is a state entry of up
         * to a month of facts.
         */
        private List<JourneyFact> monthView(int m, String family) throws Exception {
            List<JourneyFact> view = new ArrayList<>(java.util.Arrays.asList(month(m).facts));
            if (family == null || family.equals(Periods.FLOW)) {
                Integer before = idx.visitMonthBefore(m);
                if (before != null) view.add(month(before).lastVisit());
            }
            if (family == null || family.equals(Periods.EMPLOYER)) {
                Integer creditBefore = idx.creditMonthBefore(m);
                if (creditBefore != null) view.add(month(creditBefore).lastCredit());
            }
            if (family != null && !family.equals(Periods.ENGAGED)) return view;
            int ahead = m;
            for (int i = 0; i < ENGAGEMENT_MONTHS_AHEAD; i++) {
                ahead = Periods.nextMonth(ahead);
                if (!monthCache.containsKey(ahead) && !idx.hasVisitsIn(ahead)) continue;
                for (JourneyFact f : month(ahead).facts) if (f.isPurchase()) view.add(f);
            }
            return view;
        }
    }
}
