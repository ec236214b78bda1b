package de.prokommun.insights.city;

import java.io.Serializable;
import java.util.List;

/** A persona condition on behaviour: at least {@code atLeast} events of these signals within the last days. */
public record Activity(List<String> signals, int atLeast, int withinDays) implements Serializable {
    public Activity {
        signals = List.copyOf(signals);
    }
}
