package de.prokommun.insights.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.privacy.RoleRules;
import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;
import de.prokommun.insights.privacy.noise.Rational;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A publication as the service wrote it to disk, read independently of the service's classes: its integer cells
 * (what answers are summed from) and real-valued least-squares estimates per slice, sums of them, the figure an
 * answer must show, and
 * (with the service's key) each measured value's noise drawn again, so that measured minus noise gives the true
 * count the service counted.
 */
final class PublishedCells {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One cell: [ageBand, gender, district, householdType, activity] and its published value (integer cell or
     * estimate).
     */
    record Cell(List<String> key, double value) {
        String ageBand() { return key.get(0); }
        String gender() { return key.get(1); }
        String district() { return key.get(2); }
        String householdType() { return key.get(3); }
        String activity() { return key.get(4); }
    }

    final String id;
    final double rho;
    final String sigmaSquared;
    /** Per slice the integer cells. */
    final Map<String, List<Cell>> slices = new LinkedHashMap<>();
    /** Per slice the least-squares estimates of the cells: what answers are summed from. */
    final Map<String, List<Cell>> estimates = new LinkedHashMap<>();
    /** Per slice, marginal name → σ² of its noise. */
    final Map<String, Map<String, String>> noise = new LinkedHashMap<>();
    /** Per slice the measured values as drawn: path (marginal name, then its values) and value. */
    final Map<String, List<Map.Entry<List<String>, Long>>> measured = new LinkedHashMap<>();

    PublishedCells(Path file) throws Exception {
        JsonNode root = JSON.readTree(file.toFile());
        id = root.get("id").asText();
        rho = root.get("rho").asDouble();
        sigmaSquared = root.get("sigmaSquared").asText();
        readCells(root.get("slices"), slices);
        readCells(root.get("estimates"), estimates);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("noise").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> slice = it.next();
            Map<String, String> sigmas = new LinkedHashMap<>();
            slice.getValue().fields().forEachRemaining(e -> sigmas.put(e.getKey(), e.getValue().asText()));
            noise.put(slice.getKey(), sigmas);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("measured").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> slice = it.next();
            List<Map.Entry<List<String>, Long>> nodes = new ArrayList<>();
            for (JsonNode row : slice.getValue()) {
                List<String> path = new ArrayList<>();
                for (int i = 0; i < row.size() - 1; i++) path.add(row.get(i).asText());
                nodes.add(Map.entry(List.copyOf(path), row.get(row.size() - 1).asLong()));
            }
            measured.put(slice.getKey(), nodes);
        }
    }

    private static void readCells(JsonNode slicesNode, Map<String, List<Cell>> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = slicesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> slice = it.next();
            List<Cell> cells = new ArrayList<>();
            for (JsonNode row : slice.getValue()) {
                List<String> key = new ArrayList<>();
                for (int i = 0; i < row.size() - 1; i++) key.add(row.get(i).asText());
                cells.add(new Cell(List.copyOf(key), row.get(row.size() - 1).asDouble()));
            }
            into.put(slice.getKey(), cells);
        }
    }

    /**
     * Musterstadt's personas whose rule in personas.json is only an age range on band bounds, household types or
     * genders, written down here from that file: the service publishes no slice for them, they are cells of
     * everybody.
     */
    static final Map<String, Predicate<Cell>> CUBE_PERSONAS = Map.of(
            "single", c -> !Set.of("0-13", "14-17", "other").contains(c.ageBand()) && c.householdType().equals("SINGLE"),
            "couple", c -> c.householdType().equals("COUPLE"),
            "family", c -> c.householdType().equals("FAMILY"),
            "single_parent", c -> c.householdType().equals("SINGLE_PARENT"),
            "best_ager", c -> c.ageBand().equals("50-64"),
            "senior", c -> Set.of("65-79", "80+").contains(c.ageBand()));

    /**
     * The answer to a sum of cells: the sum of the integer cells (shown clamped at 0). A persona of
     * {@link #CUBE_PERSONAS} ("persona:family") is read where the service reads it: its cells of everybody.
     */
    long sum(String slice, Predicate<Cell> selected) {
        if (!slices.containsKey(slice) && slice.startsWith("persona:") && CUBE_PERSONAS.containsKey(slice.substring(8))) {
            return sum("all", selected.and(CUBE_PERSONAS.get(slice.substring(8))));
        }
        return Math.round(slices.get(slice).stream().filter(selected).mapToDouble(Cell::value).sum());
    }

    double estimate(String slice, Predicate<Cell> selected) {
        return estimates.get(slice).stream().filter(selected).mapToDouble(Cell::value).sum();
    }

    /** The parts of a breakdown: each the sum of its integer cells, so they add up to the count. */
    List<Long> breakdown(String slice, Predicate<Cell> selected, List<Predicate<Cell>> parts) {
        return parts.stream().map(part -> sum(slice, selected.and(part))).toList();
    }

    /** ρ the noise drawn is worth: Σ over every measured marginal of every slice of 1/(2σ²). */
    double rhoOfNoise() {
        return noise.values().stream().flatMap(m -> m.values().stream())
                .mapToDouble(s2 -> 1 / (2 * new BigDecimal(s2).doubleValue())).sum();
    }

    /** The smallest σ² of any measurement: the most precise single figure of the publication. */
    double smallestSigmaSquared() {
        return noise.values().stream().flatMap(m -> m.values().stream())
                .mapToDouble(s2 -> new BigDecimal(s2).doubleValue()).min().orElseThrow();
    }

    /**
     * The true counts beneath the noise, per cell [ageBand, gender, district, householdType]: the measured cells
     * of the slice, their noise drawn again and subtracted.
     */
    Map<List<String>, Long> trueCounts(String slice, byte[] prfKey) {
        Map<List<String>, Long> truth = new LinkedHashMap<>();
        nodeTruth(slice, prfKey).forEach((path, n) -> {
            if (path.get(0).equals(CELLS)) truth.put(path.subList(1, 5), n);
        });
        return truth;
    }

    /**
     * Every measured value's true count (measured value minus its noise drawn again), by path: each slice's values
     * were measured in file order with draws from one keyed stream, each with its marginal's σ².
     */
    Map<List<String>, Long> nodeTruth(String slice, byte[] prfKey) {
        ExactSampler sampler = new ExactSampler(KeyedStream.derive(prfKey, "publication", id, slice));
        Map<List<String>, Long> truth = new LinkedHashMap<>();
        for (Map.Entry<List<String>, Long> node : measured.get(slice)) {
            Rational variance = Rational.of(new BigDecimal(noise.get(slice).get(node.getKey().get(0))));
            truth.put(node.getKey(), node.getValue() - sampler.discreteGaussian(variance));
        }
        return truth;
    }

    /** The marginal of the four demographic dimensions. */
    static final String CELLS = "ageBand×gender×district×householdType";
    /** The marginal of all five dimensions: the cells. */
    static final String ACTIVITY_CELLS = CELLS + "×activity";

    /** The true counts beneath the noise of the five-dimensional cells [ageBand, ..., householdType, activity]. */
    Map<List<String>, Long> trueActivityCounts(String slice, byte[] prfKey) {
        Map<List<String>, Long> truth = new LinkedHashMap<>();
        nodeTruth(slice, prfKey).forEach((path, n) -> {
            if (path.get(0).equals(ACTIVITY_CELLS)) truth.put(path.subList(1, 6), n);
        });
        return truth;
    }

    /** The JSON cell an answer must show for a sum of published cells. */
    static JsonObject shown(long sum, RoleRules rules) {
        long value = Math.max(0, sum);
        if (value < rules.minCellSize()) {
            return new JsonObject().put("value", null).put("display", rules.display().fewerThan(rules.minCellSize()))
                    .put("suppressed", true);
        }
        return new JsonObject().put("value", value).put("display", rules.display().show(value)).put("suppressed", false);
    }
}
