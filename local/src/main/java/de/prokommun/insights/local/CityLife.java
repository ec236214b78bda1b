package de.prokommun.insights.local;

import de.prokommun.insights.simulator.SimEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The simulated city's life from a point of its timeline on, without end. The simulator needs an end to its
 * period; at 2,000 events/s the city lives about 28 years an hour, so any fixed end runs out (the soak's burst ran
 * out of city after 21.7 minutes). The life is simulated in windows of {@code length}: when a window is used up, the
 * city is simulated again from its first day up to the next window's end and handed out from the old end on.
 * The simulation is deterministic, so the next window continues the same residents, cards and vouchers.
 */
final class CityLife implements Iterator<SimEvent> {

    /** The city simulated from its first day up to {@code to}, with event ids "{idPrefix}-{n}". */
    interface Simulation {
        Iterator<SimEvent> until(Instant to, String idPrefix);
    }

    private final Simulation simulation;
    private final Duration length;
    private final String idPrefix;
    private Instant windowEnd;
    private int lap;
    private Iterator<SimEvent> window;
    private SimEvent next;

    CityLife(Simulation simulation, Instant from, Duration length, String idPrefix) {
        if (length.isNegative() || length.isZero()) throw new IllegalArgumentException("length: must be positive, got " + length);
        this.simulation = simulation;
        this.length = length;
        this.idPrefix = idPrefix;
        this.windowEnd = from;
        advance();
    }

    @Override public boolean hasNext() { return next != null; }

    @Override public SimEvent next() {
        if (next == null) throw new NoSuchElementException();
        SimEvent current = next;
        advance();
        return current;
    }

    private void advance() {
        next = null;
        while (next == null && window != null && window.hasNext()) next = window.next();
        if (next != null) return;
        next = openWindow(); // an empty window means a city without life: the end
    }

    private SimEvent openWindow() {
        Instant from = windowEnd;
        windowEnd = from.plus(length);
        // Each window's ids are its own: a window starts counting at the city's first day again.
        window = simulation.until(windowEnd, lap == 0 ? idPrefix : idPrefix + "w" + lap);
        lap++;
        while (window.hasNext()) {
            SimEvent e = window.next();
            if (!e.eventTime().isBefore(from)) return e;
        }
        return null;
    }
}
