package de.prokommun.insights.bench.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reading what the JDK's tools print about another JVM's heap. */
class JvmHeapTest {

    @Test
    void theLiveHeapIsTheClassHistogramsTotal() throws IOException {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:        250000       24000000  [B (java.base@17.0.15)
                   2:        200000        6400000  java.lang.String (java.base@17.0.15)
                Total       1450000       98765432
                """;
        assertThat(JvmHeap.histogramTotal(histogram)).isEqualTo(98_765_432L);
        assertThatThrownBy(() -> JvmHeap.histogramTotal("12345:\nCould not attach")).isInstanceOf(IOException.class)
                .hasMessageContaining("no Total line");
    }
}
