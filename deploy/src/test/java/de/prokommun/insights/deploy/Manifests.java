package de.prokommun.insights.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * The manifests of deploy/k8s (multi-document YAML) as fabric8 resources: {@link GenericKubernetesResource} for
 * every document (Strimzi and Flink operator kinds included), {@link #typed} for the kinds fabric8 models. SnakeYAML
 * reads the text (anchors, aliases and merge keys resolved); Jackson 3 maps it onto the models (fabric8 keeps a
 * field it does not know in the model's additionalProperties, so a misspelt key is not an error by itself: the tests
 * read the fields they compare through the typed getters, where a misspelt key shows as a missing value).
 */
final class Manifests {
    static final Path ROOT = repositoryRoot();
    static final Path K8S = ROOT.resolve("deploy").resolve("k8s");
    /** Jackson 2, for reading trees in the tests. */
    static final ObjectMapper JSON = new ObjectMapper();
    /** Jackson 3, the one fabric8 8's models are annotated for (custom deserialisers of IntOrString, Quantity ...). */
    private static final JsonMapper MODELS = JsonMapper.builder().build();

    private final List<GenericKubernetesResource> resources;

    private Manifests(List<GenericKubernetesResource> resources) {
        this.resources = resources;
    }

    /** Every document of every *.yaml file in deploy/k8s. */
    static Manifests load() throws IOException {
        List<GenericKubernetesResource> all = new ArrayList<>();
        try (var files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    all.addAll(parse(reader, file.getFileName().toString()));
                }
            }
        }
        return new Manifests(all);
    }

    /** Manifests from YAML text (a test's modified copy). */
    static Manifests of(String yaml) {
        return new Manifests(parse(new StringReader(yaml), "text"));
    }

    private static List<GenericKubernetesResource> parse(Reader reader, String source) {
        List<GenericKubernetesResource> result = new ArrayList<>();
        for (Object document : new Yaml().loadAll(reader)) {
            if (document == null) continue;
            GenericKubernetesResource resource = MODELS.convertValue(document, GenericKubernetesResource.class);
            if (resource.getKind() == null || resource.getMetadata() == null || resource.getMetadata().getName() == null) {
                throw new IllegalStateException(source + ": a document without kind or metadata.name");
            }
            result.add(resource);
        }
        return result;
    }

    List<GenericKubernetesResource> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    GenericKubernetesResource one(String kind, String name) {
        List<GenericKubernetesResource> found = ofKind(kind).stream().filter(r -> name.equals(r.getMetadata().getName())).toList();
        if (found.size() != 1) throw new AssertionError(found.size() + " resources " + kind + "/" + name + " in deploy/k8s, expected 1");
        return found.get(0);
    }

    <T extends HasMetadata> T typed(String kind, String name, Class<T> type) {
        return MODELS.convertValue(one(kind, name), type);
    }

    /** The resource's spec (or data) as a tree, for the operator kinds fabric8 does not model. */
    static JsonNode tree(GenericKubernetesResource resource) {
        return JSON.valueToTree(MODELS.convertValue(resource, Map.class));
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy").resolve("k8s")) && Files.isDirectory(dir.resolve("pinot"))) return dir;
        }
        throw new IllegalStateException("deploy/k8s not found upwards from " + Path.of("").toAbsolutePath());
    }
}
