package de.prokommun.insights.participants;

/** An authenticated caller: who it is, in which city, with which role. Never holds the key itself. */
public record Participant(String id, String city, Role role, String displayName) {}
