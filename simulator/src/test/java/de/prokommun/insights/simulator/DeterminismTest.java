package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    private static final Musterstadt CITY = Musterstadt.load();
    private static final Instant FROM = Instant.parse("2024-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-01-05T00:00:00Z");

    @Test
    void sameSeedGivesByteIdenticalEventsAndAnotherSeedDiffers() throws Exception {
        String first = digest(CITY.events(11, 2000, FROM, TO));
        String again = digest(Musterstadt.load().events(11, 2000, FROM, TO));
        String other = digest(CITY.events(12, 2000, FROM, TO));
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void eventIdsAreUniqueAndAShorterPeriodIsAPrefixOfALongerOne() {
        List<String> longer = lines(CITY.events(5, 1500, FROM, TO));
        List<String> shorter = lines(CITY.events(5, 1500, FROM, Instant.parse("2024-12-01T00:00:00Z")));
        assertThat(shorter).isNotEmpty().hasSizeLessThan(longer.size());
        assertThat(longer.subList(0, shorter.size())).isEqualTo(shorter);
        Set<String> ids = new HashSet<>();
        for (String l : longer) assertThat(ids.add(l.substring(0, l.indexOf("\",\"type\"")))).as(l).isTrue();
    }

    private static List<String> lines(Iterator<SimEvent> events) {
        List<String> out = new ArrayList<>();
        events.forEachRemaining(e -> out.add(e.json()));
        return out;
    }

    private static String digest(Iterator<SimEvent> events) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long n = 0;
        while (events.hasNext()) {
            sha.update(events.next().json().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            n++;
        }
        assertThat(n).isGreaterThan(10_000);
        return java.util.HexFormat.of().formatHex(sha.digest());
    }
}
