package de.prokommun.insights.resident.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ErasureRegisterTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(1);

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = T0;
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void anErasureIsRememberedForTheLongestTokenLifetimeThenForgotten() {
        MovableClock clock = new MovableClock();
        ErasureRegister register = new ErasureRegister(LIFETIME, 10, clock);
        register.erased("musterstadt", "psn-a", T0);
        assertThat(register.erasedAt("musterstadt", "psn-a")).contains(T0);
        assertThat(register.erasedAt("nachbarstadt", "psn-a")).as("another city, another person").isEmpty();
        assertThat(register.erasedAt("musterstadt", "psn-b")).isEmpty();

        clock.now = T0.plus(LIFETIME);
        assertThat(register.erasedAt("musterstadt", "psn-a")).as("a token issued before it may still be valid").contains(T0);
        clock.now = T0.plus(LIFETIME).plusMillis(1);
        assertThat(register.erasedAt("musterstadt", "psn-a")).as("every token issued before it has expired").isEmpty();
        assertThat(register.size()).isZero();
    }

    @Test
    void aLaterErasureReplacesTheEarlierAndIsKeptFromItsOwnTime() {
        MovableClock clock = new MovableClock();
        ErasureRegister register = new ErasureRegister(LIFETIME, 10, clock);
        register.erased("musterstadt", "psn-a", T0);
        register.erased("musterstadt", "psn-b", T0.plusSeconds(10));
        clock.now = T0.plus(Duration.ofMinutes(30));
        register.erased("musterstadt", "psn-a", clock.now);
        clock.now = T0.plus(LIFETIME).plusSeconds(20);
        assertThat(register.erasedAt("musterstadt", "psn-b")).isEmpty();
        assertThat(register.erasedAt("musterstadt", "psn-a")).contains(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void atMostTheConfiguredNumberIsKeptTheOldestForgottenFirstAndCounted() {
        MovableClock clock = new MovableClock();
        ErasureRegister register = new ErasureRegister(LIFETIME, 2, clock);
        register.erased("musterstadt", "psn-a", T0);
        register.erased("musterstadt", "psn-b", T0.plusSeconds(1));
        register.erased("musterstadt", "psn-c", T0.plusSeconds(2));
        assertThat(register.size()).isEqualTo(2);
        assertThat(register.erasedAt("musterstadt", "psn-a")).isEmpty();
        assertThat(register.erasedAt("musterstadt", "psn-c")).isPresent();
        assertThat(register.forgottenEarly()).isEqualTo(1);
    }

    @Test
    void theBoundsMustBePositive() {
        assertThatThrownBy(() -> new ErasureRegister(Duration.ZERO, 1, Clock.systemUTC())).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> new ErasureRegister(LIFETIME, 0, Clock.systemUTC())).hasMessageContaining("erasure");
    }

    @Test
    void anErasureReadBackFromTheTopicNeitherRevivesAnExpiredOneNorReplacesALaterOne() {
        MovableClock clock = new MovableClock();
        ErasureRegister register = new ErasureRegister(LIFETIME, 10, clock);
        clock.now = T0.plus(LIFETIME).plusSeconds(1);
        register.erased("musterstadt", "psn-old", T0);
        assertThat(register.erasedAt("musterstadt", "psn-old")).as("every token issued before it has expired").isEmpty();
        register.erased("musterstadt", "psn-a", clock.now);
        register.erased("musterstadt", "psn-a", clock.now.minusSeconds(30));
        assertThat(register.erasedAt("musterstadt", "psn-a")).contains(clock.now);
    }

    @Test
    void aRequestWaitsUntilTheFeedHasReadEveryErasureWrittenBeforeItArrived() throws Exception {
        ErasureRegister register = new ErasureRegister(LIFETIME, 10, Clock.systemUTC());
        Instant arrived = Instant.now();
        assertThat(register.currentAsOf()).isEmpty();
        assertThat(register.awaitCurrent(arrived, Duration.ofMillis(50))).as("never read: not current").isFalse();
        register.caughtUp(arrived.minusSeconds(1));
        assertThat(register.awaitCurrent(arrived, Duration.ofMillis(50))).as("read only up to before the arrival").isFalse();

        Thread feed = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            register.caughtUp(arrived.plusMillis(1));
        });
        feed.start();
        assertThat(register.awaitCurrent(arrived, Duration.ofSeconds(10))).isTrue();
        feed.join();
        register.caughtUp(arrived.minusSeconds(5));
        assertThat(register.currentAsOf()).as("never moves back").contains(arrived.plusMillis(1));
    }

    @Test
    void aWaitingRequestStartsTheFeedsNextRoundAtOnce() throws Exception {
        ErasureRegister register = new ErasureRegister(LIFETIME, 10, Clock.systemUTC());
        Instant arrived = Instant.now();
        long[] roundStartedAfterNanos = {-1};
        Thread feed = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                register.awaitDemand(Duration.ofSeconds(30)); // pauses, unless a request waits
            } catch (InterruptedException e) {
                return;
            }
            roundStartedAfterNanos[0] = System.nanoTime() - t0;
            register.caughtUp(Instant.now());
        });
        feed.start();
        Thread.sleep(50);
        assertThat(register.awaitCurrent(arrived, Duration.ofSeconds(10))).isTrue();
        feed.join();
        assertThat(roundStartedAfterNanos[0]).as("the round began on demand, not after the 30 s pause")
                .isBetween(0L, Duration.ofSeconds(5).toNanos());
    }
}
