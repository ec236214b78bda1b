package de.prokommun.insights.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** {@code bench/results/<name>.json}: machine, date, command, parameters, every run and the medians. */
public final class ResultFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFile() {}

    public static Path write(Path resultsDir, Recorder recorder, ObjectNode machine, String command, int runsAsked) {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", recorder.benchmark());
        root.put("command", command);
        root.put("date", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        machine.put("loadAverage1mAtEnd", Machine.loadAverage());
        root.set("machine", machine);
        root.put("runsAsked", runsAsked);
        root.set("parameters", JSON.valueToTree(recorder.parameters()));
        var runs = root.putArray("runs");
        for (int i = 0; i < recorder.runs().size(); i++) {
            ObjectNode run = runs.addObject();
            run.set("figures", JSON.valueToTree(recorder.runs().get(i)));
            run.set("details", JSON.valueToTree(recorder.runDetails().get(i)));
        }
        root.set("median", JSON.valueToTree(recorder.medians()));
        root.set("notes", JSON.valueToTree(recorder.notes()));
        try {
            Files.createDirectories(resultsDir);
            Path file = resultsDir.resolve(recorder.benchmark() + ".json");
            JSON.writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results of " + recorder.benchmark(), e);
        }
    }

    public static Optional<JsonNode> read(Path resultsDir, String benchmark) {
        Path file = resultsDir.resolve(benchmark + ".json");
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
