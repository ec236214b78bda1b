package de.prokommun.insights.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.simulator.SimEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoResidentsTest {
    @TempDir
    Path dir;

    private int seq;

    @Test
    void choosesTheFirstResidentsRegisteredWithConsentToAnalyticsWhoKeptIt() {
        List<SimEvent> history = new ArrayList<>();
        history.add(registered("R-1", false));
        history.add(registered("R-2", true));
        history.add(registered("R-3", true));
        history.add(event("purchase", "R-3", "{\"receipt\":\"B-1\"}"));
        history.add(registered("R-4", true));
        history.add(registered("R-5", true));
        history.add(registered("R-6", true));
        history.add(event("consent.changed", "R-3", "{\"analytics\":false}"));
        history.add(event("consent.changed", "R-4", "{\"newsletter\":true}")); // analytics untouched: stays
        history.add(event("erasure.requested", "R-5", "{\"reason\":\"test\"}"));
        history.add(event("consent.changed", "R-1", "{\"analytics\":true}")); // consented later: not a registration

        DemoResidents demo = new DemoResidents();
        List<SimEvent> passedOn = new ArrayList<>();
        Iterator<SimEvent> watched = demo.watch(history.iterator());
        watched.forEachRemaining(passedOn::add);

        assertThat(passedOn).as("every event is passed on unchanged").containsExactlyElementsOf(history);
        assertThat(demo.chosen()).containsExactly("R-2", "R-4", "R-6");
    }

    @Test
    void theChoiceIsKeptInTheDataDirectoryForTheNextStart() {
        assertThat(DemoResidents.read(dir)).as("before the history was fed").isEmpty();
        DemoResidents.save(dir, List.of("R-0000012", "R-0000014"));
        assertThat(DemoResidents.read(dir)).containsExactly("R-0000012", "R-0000014");
    }

    private SimEvent registered(String ref, boolean analytics) {
        return event("resident.registered", ref, "{\"birthDate\":\"1980-01-01\",\"consents\":{\"analytics\":" + analytics
                + ",\"offers\":false,\"newsletter\":false}}");
    }

    private SimEvent event(String type, String ref, String data) {
        return new SimEvent("e" + (++seq), type, 1_700_000_000_000L + seq, ref, null, "musterstadt", "portal", data);
    }
}
