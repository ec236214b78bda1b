package de.prokommun.insights.bench.harness;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were measured on: cores, CPU model, RAM, Java, OS, and how busy the machine was. */
public final class Machine {
    private Machine() {}

    public static ObjectNode describe() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", cpuModel());
        m.put("memTotalGb", Math.round(memTotalKb() / 1024.0 / 1024.0 * 10) / 10.0);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("loadAverage1mAtStart", loadAverage());
        return m;
    }

    /** The 1-minute load average (other work on the shared machine shows here). */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static String summary(ObjectNode m) {
        return m.path("nproc").asInt() + " cores " + m.path("cpuModel").asText() + ", "
                + m.path("memTotalGb").asDouble() + " GB RAM, " + m.path("java").asText();
    }

    private static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return "unknown";
    }

    private static long memTotalKb() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return 0;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
