package de.prokommun.insights.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /** Kafka's broker and controller once got the same port from two calls in a row; no two calls may agree. */
    @Test
    void neverHandsOutAPortTwice() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            ports.add(FreePorts.next());
        }
        assertThat(ports).hasSize(2_000).allSatisfy(port -> assertThat(port).isBetween(1, 65_535));
    }
}
