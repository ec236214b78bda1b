package de.prokommun.insights.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects what one benchmark invocation measured: each run's figures, parameters and notes. */
public final class Recorder {
    private final String benchmark;
    private final List<Map<String, Double>> runs = new ArrayList<>();
    private final List<Map<String, Object>> runDetails = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public Recorder(String benchmark) {
        this.benchmark = benchmark;
    }

    /** One run's figures (ids from {@link Figures}) and free-form details (counts, load average, ...). */
    public void run(Map<String, Double> figures, Map<String, Object> details) {
        for (String id : figures.keySet()) {
            Figure f = Figures.byId(id).orElseThrow(() -> new IllegalArgumentException("unknown figure " + id));
            if (!f.benchmark().equals(benchmark)) throw new IllegalArgumentException(id + " is not a figure of " + benchmark);
        }
        runs.add(new LinkedHashMap<>(figures));
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("loadAverage1m", Machine.loadAverage());
        runDetails.add(d);
        System.out.printf("[bench %s] run %d: %s %s%n", benchmark, runs.size(), figures, details);
    }

    public void parameter(String key, Object value) { parameters.put(key, value); }

    public void note(String note) {
        notes.add(note);
        System.out.println("[bench " + benchmark + "] note: " + note);
    }

    public String benchmark() { return benchmark; }
    public List<Map<String, Double>> runs() { return runs; }
    public List<Map<String, Object>> runDetails() { return runDetails; }
    public Map<String, Object> parameters() { return parameters; }
    public List<String> notes() { return notes; }

    /** Median over the runs of every figure measured at least once. */
    public Map<String, Double> medians() {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (Map<String, Double> run : runs) run.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        Map<String, Double> medians = new LinkedHashMap<>();
        values.forEach((k, v) -> medians.put(k, Stats.median(v)));
        return medians;
    }
}
