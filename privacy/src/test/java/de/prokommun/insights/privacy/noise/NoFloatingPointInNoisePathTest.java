package de.prokommun.insights.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.noisefixture.ExpOfLong;
import de.prokommun.insights.privacy.noisefixture.FloatingLaplace;
import de.prokommun.insights.privacy.noisefixture.IntegerOnly;
import de.prokommun.insights.privacy.noisefixture.ScaleAsDoubleField;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The noise package (samplers, rational numbers, the keyed bit stream) is compiled without a single float or
 * double: its class files are scanned for floating-point constants, types, calls and instructions. The scanner
 * itself is shown to catch each way a double could sneak in.
 */
class NoFloatingPointInNoisePathTest {

    @Test
    void noClassOfTheNoisePackageUsesFloatingPoint() throws IOException, URISyntaxException {
        Path dir = Path.of(ExactSampler.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(ExactSampler.class.getPackageName().replace('.', '/'));
        List<Path> classes;
        try (Stream<Path> files = Files.list(dir)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        assertThat(classes.stream().map(p -> p.getFileName().toString()))
                .contains("ExactSampler.class", "Rational.class", "KeyedStream.class", "RandomBits.class");
        List<String> violations = new ArrayList<>();
        for (Path c : classes) {
            try (InputStream in = Files.newInputStream(c)) {
                for (String v : FloatingPointScan.violations(in)) violations.add(c.getFileName() + ": " + v);
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theScanCatchesFloatingPointArithmeticCallsAndFields() throws IOException {
        assertThat(scan(FloatingLaplace.class)).isNotEmpty().anyMatch(v -> v.contains("opcode"));
        assertThat(scan(ExpOfLong.class)).anyMatch(v -> v.contains("call descriptor uses double"));
        assertThat(scan(ScaleAsDoubleField.class)).anyMatch(v -> v.contains("field scale uses double"));
        assertThat(scan(IntegerOnly.class)).isEmpty();
    }

    private static List<String> scan(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return FloatingPointScan.violations(in);
        }
    }
}
