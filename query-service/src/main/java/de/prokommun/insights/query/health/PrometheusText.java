package de.prokommun.insights.query.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples of the Prometheus text format (0.0.4): name, labels, value; comments are skipped. */
final class PrometheusText {
    private PrometheusText() {}

    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static List<Sample> parse(String text) {
        return text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(PrometheusText::sample).filter(java.util.Objects::nonNull).toList();
    }

    private static Sample sample(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) return null;
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null) {
            Matcher l = LABEL.matcher(m.group(3));
            while (l.find()) labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        double value;
        try {
            value = switch (m.group(4)) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(m.group(4));
            };
        } catch (NumberFormatException e) {
            return null;
        }
        return new Sample(m.group(1), Map.copyOf(labels), value);
    }

    /** Sum of every sample of {@code name} (over all label sets). */
    static double total(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }

    /** {@code name}'s samples by the value of one label. */
    static Map<String, Double> byLabel(List<Sample> samples, String name, String label) {
        Map<String, Double> out = new LinkedHashMap<>();
        samples.stream().filter(s -> s.name().equals(name))
                .forEach(s -> out.merge(s.labels().getOrDefault(label, ""), s.value(), Double::sum));
        return out;
    }
}
