package de.prokommun.insights.local;

import de.prokommun.insights.simulator.SimEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * How far the live feed got in the simulated city's own timeline. The live feed sends faster than the city lives
 * (its events are restamped to the wall clock), so its simulated time runs ahead of now; a later live feed — a
 * restart of the local mode, or the soak's burst after its live phase — must continue behind that point. Started
 * at "now" instead, it would send again vouchers and receipts the city already sent under new event ids: the same
 * voucher sold twice and over-redeemed, which the pipeline rightly dead-letters.
 * <p>
 * The file holds a horizon ahead of the last event handed out: it is written before any event beyond it leaves,
 * so a feed killed at any moment never sends a simulated fact twice (it may skip up to {@link #STEP} of the city's
 * life, which no one misses).
 */
final class LiveProgress {

    static final Duration STEP = Duration.ofHours(1);

    private final Path file;

    LiveProgress(Path dataDir) {
        this.file = dataDir.resolve("live-fed");
    }

    /** Where the next live feed starts in the city's timeline: now, or behind what an earlier feed handed out. */
    Instant resumeAt(Instant now) {
        Instant horizon = horizon();
        return horizon != null && horizon.isAfter(now) ? horizon : now;
    }

    Instant horizon() {
        if (!Files.exists(file)) return null;
        try {
            return Instant.parse(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the live feed's progress from " + file + ": " + e.getMessage(), e);
        }
    }

    /** The events as they are handed out, the horizon moved ahead of each before it leaves. */
    Iterator<SimEvent> tracking(Iterator<SimEvent> events) {
        return new Iterator<>() {
            private Instant horizon = horizon();

            @Override public boolean hasNext() { return events.hasNext(); }

            @Override public SimEvent next() {
                if (!events.hasNext()) throw new NoSuchElementException();
                SimEvent e = events.next();
                if (horizon == null || !e.eventTime().isBefore(horizon)) {
                    horizon = e.eventTime().plus(STEP);
                    write(horizon);
                }
                return e;
            }
        };
    }

    private void write(Instant horizon) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, horizon + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
