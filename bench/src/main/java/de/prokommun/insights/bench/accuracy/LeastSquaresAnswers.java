package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.privacy.publish.ConsistentCount;
import de.prokommun.insights.privacy.publish.HierarchicalConsistency;
import de.prokommun.insights.privacy.publish.NoisyCount;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.FilterNormalisation;
import de.prokommun.insights.query.publication.CellKey;
import de.prokommun.insights.query.publication.CubeDomain;
import de.prokommun.insights.query.publication.Measurement;
import de.prokommun.insights.query.publication.Publication;
import de.prokommun.insights.query.publication.PublishedSelection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A diagnostic beside the served answers: the same publication's measurements made consistent by the same weighted
 * least squares ({@link HierarchicalConsistency}), but summed <em>before</em> the rounding to non-negative integers,
 * and only the final sum clamped at zero. Rounding cell by cell clamps thousands of near-empty cells at zero and
 * rescales their siblings, which moves mass from well-filled cells into empty ones — a bias that grows with the
 * number of cells an audience sums over. This shows how large that bias is; it is post-processing of the same
 * release and costs nothing, but it is not what the service serves today.
 */
final class LeastSquaresAnswers {

    private LeastSquaresAnswers() {}

    static List<Long> answer(Publication publication, CityVocabulary city, List<AudienceFilter> workload) {
        CubeDomain domain = CubeDomain.of(city);
        Map<String, Map<CellKey, Double>> fitted = new HashMap<>();
        publication.measurements().forEach((slice, measured) -> fitted.put(slice, leaves(domain, measured)));
        List<Long> answers = new ArrayList<>(workload.size());
        for (AudienceFilter f : workload) {
            Optional<PublishedSelection> s = PublishedSelection.of(city, FilterNormalisation.normalise(f, city));
            if (s.isEmpty() || !fitted.containsKey(s.get().slice())) {
                answers.add(null);
                continue;
            }
            double sum = 0;
            for (Map.Entry<CellKey, Double> e : fitted.get(s.get().slice()).entrySet()) {
                if (s.get().cells().test(e.getKey())) sum += e.getValue();
            }
            answers.add(Math.max(0, Math.round(sum)));
        }
        return answers;
    }

    private static Map<CellKey, Double> leaves(CubeDomain domain, List<Measurement> measured) {
        Map<List<String>, Long> byPath = new HashMap<>();
        for (Measurement m : measured) byPath.put(m.path(), m.value());
        List<List<String>> dimensions = domain.hierarchy();
        ConsistentCount root = HierarchicalConsistency.fit(tree(List.of(), byPath, dimensions));
        Map<CellKey, Double> cells = new HashMap<>();
        collect(root, new ArrayList<>(), dimensions.size(), cells);
        return cells;
    }

    /** The measured tree as the publication built it (unit variance: every node has the same σ², only ratios matter). */
    private static NoisyCount tree(List<String> path, Map<List<String>, Long> byPath, List<List<String>> dimensions) {
        String label = path.isEmpty() ? "" : path.get(path.size() - 1);
        Long value = byPath.get(path);
        if (value == null) throw new IllegalStateException("the publication has no measurement of " + path);
        if (path.size() == dimensions.size()) return NoisyCount.leaf(label, value, 1.0);
        List<NoisyCount> children = new ArrayList<>();
        for (String v : dimensions.get(path.size())) {
            List<String> child = new ArrayList<>(path);
            child.add(v);
            children.add(tree(List.copyOf(child), byPath, dimensions));
        }
        return new NoisyCount(label, value, 1.0, children);
    }

    private static void collect(ConsistentCount node, List<String> path, int depth, Map<CellKey, Double> cells) {
        if (path.size() == depth) {
            cells.put(CubeDomain.cellAt(path), node.value());
            return;
        }
        for (ConsistentCount child : node.children()) {
            path.add(child.label());
            collect(child, path, depth, cells);
            path.remove(path.size() - 1);
        }
    }
}
