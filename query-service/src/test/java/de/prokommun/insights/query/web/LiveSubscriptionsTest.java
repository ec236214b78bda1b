package de.prokommun.insights.query.web;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LiveSubscriptionsTest {

    private static LiveSubscriptions.Question question(String key) {
        return new LiveSubscriptions.Question(key, "Bearer k", LiveWidget.AUDIENCE_SIZE, "{\"filter\":{}}");
    }

    @Test
    void aQuestionIsAskedAtMostOncePerVersionHoweverManyStreamsShowIt() {
        LiveSubscriptions subs = new LiveSubscriptions();
        var first = subs.subscribe(question("a"));
        var second = subs.subscribe(question("a"));
        assertThat(second).isSameAs(first);
        assertThat(subs.size()).isEqualTo(1);
        assertThat(LiveSubscriptions.claim(first, 7)).isTrue();
        assertThat(LiveSubscriptions.claim(second, 7)).isFalse();
        assertThat(subs.dueIn(7)).isEmpty();
        assertThat(subs.dueIn(8)).containsExactly(first);
        assertThat(subs.dueIn(8)).isEmpty();
    }

    @Test
    void theQuestionIsForgottenWhenItsLastStreamCloses() {
        LiveSubscriptions subs = new LiveSubscriptions();
        subs.subscribe(question("a"));
        subs.subscribe(question("a"));
        subs.unsubscribe("a");
        assertThat(subs.size()).isEqualTo(1);
        subs.unsubscribe("a");
        assertThat(subs.size()).isZero();
    }

    @Test
    void versionsFollowThePeriodAndTheNextOneIsScheduledAtItsStart() {
        Clock at = Clock.fixed(Instant.ofEpochMilli(125_500), ZoneOffset.UTC);
        VersionClock v = new VersionClock(at, Duration.ofMinutes(1));
        assertThat(v.current()).isEqualTo(2);
        assertThat(v.millisToNext()).isEqualTo(54_500);
    }

    @Test
    void askersDoNotShareASubscriptionKey() {
        Participant a = new Participant("baeckerei", "musterstadt", Role.PARTICIPANT, "Bäckerei");
        Participant b = new Participant("metzgerei", "musterstadt", Role.PARTICIPANT, "Metzgerei");
        assertThat(LiveStream.key(a, LiveWidget.AUDIENCE_SIZE, "{}")).isNotEqualTo(LiveStream.key(b, LiveWidget.AUDIENCE_SIZE, "{}"))
                .isEqualTo(LiveStream.key(a, LiveWidget.AUDIENCE_SIZE, "{}")).hasSize(64);
    }
}
