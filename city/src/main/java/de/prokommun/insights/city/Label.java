package de.prokommun.insights.city;

import java.io.Serializable;

/** A display name in the two languages of the UIs; a file without an English name gives the German one for both. */
public record Label(String de, String en) implements Serializable {
    /** A participant the city's participants-catalogue.json does not list ({@link City#participantLabel}). */
    public static final Label OUTSIDE_CATALOGUE = new Label("Teilnehmer außerhalb des Katalogs",
            "Participant outside the catalogue");

    public Label {
        if (de == null || de.isBlank()) throw new IllegalArgumentException("label: de must not be blank");
        if (en == null || en.isBlank()) en = de;
    }
}
