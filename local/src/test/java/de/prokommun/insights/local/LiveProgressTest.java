package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.simulator.SimEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveProgressTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir Path dir;

    @Test
    void aFirstFeedStartsNow() {
        assertThat(new LiveProgress(dir).resumeAt(NOW)).isEqualTo(NOW);
    }

    @Test
    void aLaterFeedContinuesBehindEveryEventTheEarlierOneHandedOut() {
        // the city lives a simulated minute per event, far faster than the wall clock
        List<SimEvent> city = events(NOW, 500, Duration.ofMinutes(1));
        Iterator<SimEvent> first = new LiveProgress(dir).tracking(city.iterator());
        Instant lastSent = null;
        for (int i = 0; i < 321; i++) lastSent = first.next().eventTime(); // then killed, without any goodbye

        Instant resume = new LiveProgress(dir).resumeAt(NOW.plus(Duration.ofMinutes(5)));
        assertThat(resume).isAfter(lastSent);
        assertThat(Duration.between(lastSent, resume)).isLessThanOrEqualTo(LiveProgress.STEP);
    }

    @Test
    void theWallClockWinsOnceItHasOvertakenTheCity() {
        Iterator<SimEvent> feed = new LiveProgress(dir).tracking(events(NOW, 3, Duration.ofSeconds(1)).iterator());
        while (feed.hasNext()) feed.next();
        Instant muchLater = NOW.plus(Duration.ofDays(2));
        assertThat(new LiveProgress(dir).resumeAt(muchLater)).isEqualTo(muchLater);
    }

    @Test
    void theHorizonIsWrittenOncePerStepNotPerEvent() {
        LiveProgress progress = new LiveProgress(dir);
        Iterator<SimEvent> feed = progress.tracking(events(NOW, 120, Duration.ofSeconds(30)).iterator());
        feed.next();
        Instant afterFirst = progress.horizon();
        for (int i = 0; i < 100; i++) feed.next(); // 50 simulated minutes: within the first step
        assertThat(progress.horizon()).isEqualTo(afterFirst).isEqualTo(NOW.plus(LiveProgress.STEP));
    }

    private static List<SimEvent> events(Instant from, int n, Duration apart) {
        List<SimEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SimEvent("e-" + i, "purchase.completed", from.plus(apart.multipliedBy(i)).toEpochMilli(), "R-1", null,
                    "musterstadt", "shop", "{}"));
        }
        return out;
    }
}
