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
import java.util.function.Predicate;

/**
 * A publication as the service wrote it to disk, read independently of the service's classes: its cells per slice,
 * sums of them, the figure an answer must show for a sum, and (with the service's key) each cell's noise drawn
 * again, so that published minus noise gives the true count the service counted.
 */
final class PublishedCells {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One cell: [ageBand, gender, district, householdType] and its published value. */
    record Cell(List<String> key, long value) {
        String ageBand() { return key.get(0); }
        String gender() { return key.get(1); }
        String district() { return key.get(2); }
        String householdType() { return key.get(3); }
    }

    final String id;
    final double rho;
    final String sigmaSquared;
    final Map<String, List<Cell>> slices = new LinkedHashMap<>();
    /** Per slice the measured nodes as drawn: path (district, ageBand, gender, householdType; shorter above) and value. */
    final Map<String, List<Map.Entry<List<String>, Long>>> measured = new LinkedHashMap<>();

    PublishedCells(Path file) throws Exception {
        JsonNode root = JSON.readTree(file.toFile());
        id = root.get("id").asText();
        rho = root.get("rho").asDouble();
        sigmaSquared = root.get("sigmaSquared").asText();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("slices").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> slice = it.next();
            List<Cell> cells = new ArrayList<>();
            for (JsonNode row : slice.getValue()) {
                cells.add(new Cell(List.of(row.get(0).asText(), row.get(1).asText(), row.get(2).asText(),
                        row.get(3).asText()), row.get(4).asLong()));
            }
            slices.put(slice.getKey(), cells);
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

    long sum(String slice, Predicate<Cell> selected) {
        return slices.get(slice).stream().filter(selected).mapToLong(Cell::value).sum();
    }

    /**
     * The true counts beneath the noise, per cell [ageBand, gender, district, householdType]: each slice's nodes
     * were measured in file order with draws from one keyed stream, so drawing again and subtracting gives them.
     */
    Map<List<String>, Long> trueCounts(String slice, byte[] prfKey) {
        Map<List<String>, Long> truth = new LinkedHashMap<>();
        nodeTruth(slice, prfKey).forEach((path, n) -> {
            if (path.size() == 4) truth.put(List.of(path.get(1), path.get(2), path.get(0), path.get(3)), n);
        });
        return truth;
    }

    /** Every measured node's true count (measured value minus its noise drawn again), by path. */
    Map<List<String>, Long> nodeTruth(String slice, byte[] prfKey) {
        ExactSampler sampler = new ExactSampler(KeyedStream.derive(prfKey, "publication", id, slice));
        Rational variance = Rational.of(new BigDecimal(sigmaSquared));
        Map<List<String>, Long> truth = new LinkedHashMap<>();
        for (Map.Entry<List<String>, Long> node : measured.get(slice)) {
            truth.put(node.getKey(), node.getValue() - sampler.discreteGaussian(variance));
        }
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
