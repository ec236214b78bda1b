package de.prokommun.insights.city;

import java.io.Serializable;

/**
 * A participant or employer of participants-catalogue.json: its id, name (null if none) and the postcode of its
 * location (null if none; employers have none).
 */
public record Participant(String id, String name, String postcode) implements Serializable {}
