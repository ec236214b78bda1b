package de.prokommun.insights.city;

import java.io.Serializable;

/** taxonomy.json's "taxonomy" (the name of the common category scheme) and "version" (1 when absent). */
public record TaxonomyName(String name, int version) implements Serializable {}
