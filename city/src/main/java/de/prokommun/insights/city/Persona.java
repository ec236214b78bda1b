package de.prokommun.insights.city;

import java.io.Serializable;

/** One rule of personas.json: the persona's id, its display name (null: none given) and its condition block. */
public record Persona(String id, Label label, PersonaCondition condition) implements Serializable {}
