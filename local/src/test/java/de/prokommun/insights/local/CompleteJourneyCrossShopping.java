package de.prokommun.insights.local;

import static de.prokommun.insights.local.BehaviourTestSupport.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.contract.PinotTables;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The journey example of docs/JOURNEY.md on the imported Complete Journey sample: the operator asks the
 * cross-shopping matrix of 2017 and the flows within 7 days between the four stores with the most customers.
 * The truth is computed here directly from the stored purchase records (table person_records: who bought where and
 * when — the developer's view, never available through an API), independently of the journey ledger; the exact
 * sums of the contributions table must equal it. The released answers are printed for the documentation.
 */
final class CompleteJourneyCrossShopping {

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final int YEAR = 2017;
    private static final int STORES = 4;
    private static final Duration WITHIN = Duration.ofHours(168);

    private record Visit(String person, String participant, long time, String receipt) {}

    private final LocalSystem system;
    private final BehaviourTestSupport support;
    private final String city;
    private final String operatorKey;

    CompleteJourneyCrossShopping(LocalSystem system, BehaviourTestSupport support, String city, String operatorKey) {
        this.system = system;
        this.support = support;
        this.city = city;
        this.operatorKey = operatorKey;
    }

    void askAndCompare(String queryUrl) throws Exception {
        Map<String, List<Visit>> visits = visitsByPerson();
        Map<String, Set<String>> customers = customersByStore(visits);
        List<String> top = customers.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Set<String>> e) -> -e.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .limit(STORES).map(Map.Entry::getKey).sorted().toList();
        Map<String, Long> shared = shared(customers, top);
        Map<String, Long> flows = flows(visits, top);
        System.out.println("[complete-journey] journey example stores " + top + ", customers "
                + top.stream().map(s -> s + "=" + customers.get(s).size()).toList());
        System.out.println("[complete-journey] exact shared customers 2017 (from person records): " + shared);
        System.out.println("[complete-journey] exact flows within 7 days, person-months 2017 (from person records): " + flows);

        String c = " FROM " + PinotTables.CONTRIBUTIONS.name() + " WHERE city = '" + city + "' AND year = " + YEAR;
        Map<String, Long> pinotShared = pairs(support.pinotRows("SELECT participant, counterpart, SUM(count)" + c
                + " AND measure = 'shared_customer_year' GROUP BY participant, counterpart LIMIT 100000", 2), top);
        Map<String, Long> pinotFlows = pairs(support.pinotRows("SELECT participant, counterpart, SUM(count)" + c
                + " AND measure = 'flow_month' AND lagBucket = 168 GROUP BY participant, counterpart LIMIT 100000", 2), top);
        assertThat(pinotShared).as("shared customers in Pinot = direct computation").isEqualTo(shared);
        assertThat(pinotFlows).as("flows in Pinot = direct computation").isEqualTo(flows);

        ObjectNode cross = JSON.createObjectNode();
        cross.putObject("period").put("year", YEAR);
        top.forEach(cross.putArray("participants")::add);
        JsonNode matrix = support.ask(queryUrl, operatorKey, "/api/v1/journey/cross-shopping", cross.toString());
        System.out.println("[complete-journey] POST /api/v1/journey/cross-shopping " + cross);
        System.out.println("[complete-journey] → " + matrix.toPrettyString());
        assertThat(matrix.path("tables").path("shared")).hasSize(top.size() * (top.size() - 1));

        ObjectNode flowBody = JSON.createObjectNode();
        flowBody.putObject("period").put("year", YEAR);
        flowBody.put("level", "participant").put("within", "7d");
        top.forEach(flowBody.putArray("nodes")::add);
        JsonNode flowAnswer = support.ask(queryUrl, operatorKey, "/api/v1/journey/flows", flowBody.toString());
        System.out.println("[complete-journey] POST /api/v1/journey/flows " + flowBody);
        System.out.println("[complete-journey] → " + flowAnswer.toPrettyString());
        assertThat(flowAnswer.path("tables").path("flows")).hasSize(top.size() * (top.size() - 1));
    }

    /** Every live purchase of a profiled resident, per pseudonym, in the journey's visit order. */
    private Map<String, List<Visit>> visitsByPerson() {
        JsonNode rows = system.pinot().query("SELECT pseudonym, participant, eventTime, receipt FROM "
                + PinotTables.PERSON_RECORDS.name() + " WHERE city = '" + city + "' AND kind = 'purchase' AND deleted = false"
                + " LIMIT 1000000").path("resultTable").path("rows");
        Map<String, List<Visit>> byPerson = new HashMap<>();
        for (JsonNode r : rows) {
            Visit v = new Visit(r.get(0).asText(), r.get(1).asText(), r.get(2).asLong(), r.get(3).asText());
            byPerson.computeIfAbsent(v.person(), p -> new ArrayList<>()).add(v);
        }
        Comparator<Visit> order = Comparator.comparingLong(Visit::time).thenComparing(Visit::participant)
                .thenComparing(Visit::receipt);
        byPerson.values().forEach(l -> l.sort(order));
        return byPerson;
    }

    private static Map<String, Set<String>> customersByStore(Map<String, List<Visit>> visits) {
        Map<String, Set<String>> customers = new TreeMap<>();
        visits.forEach((person, list) -> list.stream().filter(v -> yearOf(v.time()) == YEAR)
                .forEach(v -> customers.computeIfAbsent(v.participant(), s -> new HashSet<>()).add(person)));
        return customers;
    }

    private static Map<String, Long> shared(Map<String, Set<String>> customers, List<String> top) {
        Map<String, Long> shared = new TreeMap<>();
        for (String a : top) {
            for (String b : top) {
                if (a.equals(b)) continue;
                long n = customers.get(a).stream().filter(customers.get(b)::contains).count();
                if (n != 0) shared.put(a + "|" + b, n);
            }
        }
        return shared;
    }

    /** Distinct (person, from, to, month of the second visit) over consecutive visits at most 7 days apart. */
    private static Map<String, Long> flows(Map<String, List<Visit>> visits, List<String> top) {
        Set<String> seen = new HashSet<>();
        Map<String, Long> flows = new TreeMap<>();
        visits.forEach((person, list) -> {
            for (int i = 1; i < list.size(); i++) {
                Visit from = list.get(i - 1), to = list.get(i);
                if (from.participant().equals(to.participant()) || yearOf(to.time()) != YEAR) continue;
                if (to.time() - from.time() > WITHIN.toMillis()) continue;
                if (!top.contains(from.participant()) || !top.contains(to.participant())) continue;
                YearMonth month = YearMonth.from(Instant.ofEpochMilli(to.time()).atZone(ZONE));
                if (seen.add(person + "|" + from.participant() + "|" + to.participant() + "|" + month)) {
                    flows.merge(from.participant() + "|" + to.participant(), 1L, Long::sum);
                }
            }
        });
        return flows;
    }

    private static Map<String, Long> pairs(Map<String, List<Long>> rows, List<String> top) {
        Map<String, Long> out = new TreeMap<>();
        rows.forEach((k, v) -> {
            String[] ab = k.split("\\|");
            if (top.contains(ab[0]) && top.contains(ab[1]) && v.get(0) != 0) out.put(k, v.get(0));
        });
        return out;
    }

    private static int yearOf(long time) {
        return Instant.ofEpochMilli(time).atZone(ZONE).getYear();
    }
}
