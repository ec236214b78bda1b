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
        assertThat(LiveChannel.key(a, LiveWidget.AUDIENCE_SIZE, "{}")).isNotEqualTo(LiveChannel.key(b, LiveWidget.AUDIENCE_SIZE, "{}"))
                .isEqualTo(LiveChannel.key(a, LiveWidget.AUDIENCE_SIZE, "{}")).hasSize(64);
    }

    @Test
    void aCostlyQuestionIsAskedOnlyEveryNthVersionAndTheMostFrequentStreamWins() {
        LiveSubscriptions subs = new LiveSubscriptions();
        var e = subs.subscribe(question("mix"), 5);
        assertThat(LiveSubscriptions.claim(e, 10)).isTrue();
        LiveSubscriptions.answered(e, 200, "{\"status\":200}");
        assertThat(subs.dueIn(11)).isEmpty();
        assertThat(subs.dueIn(14)).isEmpty();
        assertThat(subs.dueIn(15)).containsExactly(e);
        subs.subscribe(question("mix"), 2);
        assertThat(e.every()).isEqualTo(2);
        assertThat(subs.dueIn(16)).isEmpty();
        assertThat(subs.dueIn(17)).containsExactly(e);
        subs.unsubscribe("mix", 2);
        assertThat(e.every()).isEqualTo(5);
        assertThat(subs.dueIn(19)).isEmpty();
    }

    @Test
    void onDemandQuestionsAreAskedOnlyWhenAStreamAsksNowAndNeverTwiceInOneVersion() {
        LiveSubscriptions subs = new LiveSubscriptions();
        var e = subs.subscribe(question("mix"), 0);
        assertThat(LiveSubscriptions.claim(e, 3)).isTrue();
        LiveSubscriptions.answered(e, 200, "first");
        assertThat(subs.dueIn(4)).isEmpty();
        assertThat(subs.dueIn(400)).isEmpty();
        // a second tab opening the widget gets the standing answer, without a new question
        assertThat(LiveSubscriptions.claim(subs.subscribe(question("mix"), 0), 401)).isFalse();
        // "refresh now" asks once in a version; a second click in the same version gets the cached answer
        assertThat(LiveSubscriptions.claim(e, 401, true)).isTrue();
        assertThat(LiveSubscriptions.claim(e, 401, true)).isFalse();
        assertThat(LiveSubscriptions.claim(e, 402, true)).isTrue();
    }

    @Test
    void aReloadWithinTheRefreshIntervalGetsTheRestingAnswerWithoutAsking() {
        LiveSubscriptions subs = new LiveSubscriptions();
        var e = subs.subscribe(question("mix"), 10);
        assertThat(LiveSubscriptions.claim(e, 100)).isTrue();
        LiveSubscriptions.answered(e, 200, "answer of 100");
        subs.unsubscribe("mix", 10);
        assertThat(subs.size()).isZero();
        assertThat(subs.dueIn(105)).isEmpty();
        var again = subs.subscribe(question("mix"), 10);
        assertThat(again).isSameAs(e);
        assertThat(LiveSubscriptions.claim(again, 106)).isFalse();
        assertThat(again.lastAnswer).isEqualTo("answer of 100");
        subs.unsubscribe("mix", 10);
        assertThat(subs.dueIn(110)).isEmpty();
        assertThat(subs.find("mix")).as("forgotten once its refresh was due").isNull();
        assertThat(LiveSubscriptions.claim(subs.subscribe(question("mix"), 10), 111)).isTrue();
    }

    @Test
    void afterTheBudgetIsUsedUpTheHubWaitsBeforeAskingByItselfAgain() {
        LiveSubscriptions subs = new LiveSubscriptions();
        var e = subs.subscribe(question("a"), 1);
        assertThat(subs.dueIn(1)).containsExactly(e);
        LiveSubscriptions.answered(e, 429, "{\"status\":429}");
        assertThat(subs.dueIn(2)).isEmpty();
        assertThat(subs.dueIn(1 + LiveSubscriptions.AFTER_EXHAUSTED - 1)).isEmpty();
        assertThat(subs.dueIn(1 + LiveSubscriptions.AFTER_EXHAUSTED)).containsExactly(e);
        LiveSubscriptions.answered(e, 200, "{\"status\":200}");
        assertThat(subs.dueIn(2 + LiveSubscriptions.AFTER_EXHAUSTED)).containsExactly(e);
    }

    @Test
    void refreshIntervalsOutsideTheAllowedRangeAreRefused() {
        LiveSubscriptions subs = new LiveSubscriptions();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> subs.subscribe(question("a"), -1))
                .hasMessageContaining("every");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> subs.subscribe(question("a"), LiveSubscriptions.MAX_EVERY + 1))
                .hasMessageContaining("every");
    }
}
