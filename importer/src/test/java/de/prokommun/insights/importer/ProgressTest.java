package de.prokommun.insights.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void drawsPhaseBarPercentCountAndRate() {
        String line = Progress.line("lesen", "Zeilen", 0.5, 37_500, 2.0);
        assertThat(line).startsWith("lesen    [" + "#".repeat(15) + ".".repeat(15) + "]  50%");
        assertThat(line).containsPattern("37.500 Zeilen  18.750/s");
    }

    @Test
    void staysSilentWhenDisabledAndEndsItsLineWhenDone() {
        ByteArrayOutputStream silent = new ByteArrayOutputStream();
        Progress off = new Progress(new PrintStream(silent, true, StandardCharsets.UTF_8), false);
        off.start("lesen", "Zeilen");
        off.update(0.3, 10);
        off.finish(10);
        assertThat(silent.size()).isZero();

        ByteArrayOutputStream drawn = new ByteArrayOutputStream();
        Progress on = new Progress(new PrintStream(drawn, true, StandardCharsets.UTF_8), true);
        on.start("senden", "Belege");
        on.update(0.3, 10);
        on.finish(20);
        String out = drawn.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\rsenden").contains("100%").endsWith(System.lineSeparator());
    }
}
