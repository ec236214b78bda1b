package de.prokommun.insights.simulator.population;

/** Marital status as published by the Zensus (ledig, verheiratet, geschieden, verwitwet; rest: OTHER). */
public enum MaritalStatus { SINGLE, MARRIED, DIVORCED, WIDOWED, OTHER }
