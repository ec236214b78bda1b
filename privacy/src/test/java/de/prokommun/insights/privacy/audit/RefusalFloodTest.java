package de.prokommun.insights.privacy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flood of refusals grows the audit log by a bounded number of entries, and its size stays visible (issue 15). */
class RefusalFloodTest {
    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z"); // a window boundary (10 minutes)
    private final RefusalFlood flood = new RefusalFlood();

    private static RefusalEntry refusal(Instant at, String asker, String fingerprint) {
        return new RefusalEntry(at, "musterstadt", "PARTICIPANT", asker, "POST /api/v1/audiences/size", 400,
                "invalid request: filter.colour is not a field", fingerprint);
    }

    private List<RefusalEntry> admitAll(List<RefusalEntry> refusals) {
        List<RefusalEntry> written = new ArrayList<>();
        refusals.forEach(r -> written.addAll(flood.admit(r)));
        return written;
    }

    @Test
    void aRepeatedQuestionIsWrittenThreeTimesAndCountedAfterThatWhenItsWindowEnds() {
        List<RefusalEntry> flooding = new ArrayList<>();
        for (int i = 0; i < 1000; i++) flooding.add(refusal(START.plusMillis(i), "getraenke-kurz", "fp-1"));
        assertThat(admitAll(flooding)).hasSize(RefusalFlood.FULL_REPEATS);

        RefusalEntry later = refusal(START.plus(RefusalFlood.WINDOW).plusSeconds(1), "getraenke-kurz", "fp-1");
        List<RefusalEntry> written = flood.admit(later);
        assertThat(written).hasSize(2);
        RefusalEntry count = written.get(0);
        assertThat(count.reason()).startsWith("×997 more: the same question refused between 2026-12-04T10:00:00Z and"
                + " 2026-12-04T10:10:00Z").contains("filter.colour");
        assertThat(count.fingerprint()).isEqualTo("fp-1");
        assertThat(count.askerId()).isEqualTo("getraenke-kurz");
        assertThat(count.at()).isEqualTo(START.plus(RefusalFlood.WINDOW));
        assertThat(RefusalFlood.weight(count)).isEqualTo(997);
        assertThat(written.get(1)).isEqualTo(later);
        assertThat(RefusalFlood.weight(later)).isEqualTo(1);
        assertThat(3 + RefusalFlood.weight(count)).as("every refusal is accounted for").isEqualTo(1000);
    }

    @Test
    void manyDistinctQuestionsOfOneAskerAreWrittenUpToTheCapAndCountedBeyond() {
        List<RefusalEntry> probes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) probes.add(refusal(START.plusMillis(i), "getraenke-kurz", "fp-" + i));
        probes.add(refusal(START.plusMillis(6000), "weinhaus-broich", "fp-w")); // another asker is not drowned
        List<RefusalEntry> written = admitAll(probes);
        assertThat(written).hasSize(RefusalFlood.DISTINCT_PER_ASKER + 1);
        assertThat(written).last().extracting(RefusalEntry::askerId).isEqualTo("weinhaus-broich");

        List<RefusalEntry> next = flood.admit(refusal(START.plus(RefusalFlood.WINDOW), "getraenke-kurz", "fp-x"));
        assertThat(next).hasSize(2);
        assertThat(next.get(0).fingerprint()).isEqualTo(RefusalFlood.MANY);
        assertThat(next.get(0).route()).isEqualTo(RefusalFlood.MANY);
        assertThat(next.get(0).askerId()).isEqualTo("getraenke-kurz");
        assertThat(RefusalFlood.weight(next.get(0))).isEqualTo(5000 - RefusalFlood.DISTINCT_PER_ASKER);
    }

    @Test
    void aFloodOfGuessedKeysIsCountedPerCityBeyondTheTrackedAskers() {
        List<RefusalEntry> guesses = new ArrayList<>();
        for (int i = 0; i < RefusalFlood.ASKERS + 250; i++) {
            guesses.add(new RefusalEntry(START.plusMillis(i), "", "", "key:" + String.format("%012x", i),
                    "POST /api/v1/audiences/size", 401, "unknown API key", "fp-size"));
        }
        assertThat(admitAll(guesses)).hasSize(RefusalFlood.ASKERS);
        List<RefusalEntry> next = flood.admit(refusal(START.plus(RefusalFlood.WINDOW), "getraenke-kurz", "fp-1"));
        assertThat(next).hasSize(2).first().satisfies(c -> {
            assertThat(c.askerId()).isEqualTo(RefusalFlood.MORE_ASKERS);
            assertThat(c.city()).isEmpty();
            assertThat(c.status()).isEqualTo(401);
            assertThat(RefusalFlood.weight(c)).isEqualTo(250);
        });
    }

    @Test
    void onlyItsOwnCountsWeighMoreThanOne() {
        assertThat(RefusalFlood.weight(new RefusalEntry(START, "", "", "anonymous", "GET /x", 400,
                "×12 is not a number", "fp"))).isEqualTo(1);
        assertThat(RefusalFlood.weight(new RefusalEntry(START, "", "", "anonymous", "GET /x", 400,
                "invalid request: ×12 more: ", "fp"))).isEqualTo(1);
    }
}
