package de.prokommun.insights.city;

import java.io.Serializable;

/** One age band of city.json "ageBands": its name and inclusive bounds in years. */
public record AgeBand(String band, int from, int to) implements Serializable {}
