package de.prokommun.insights.privacy.noisefixture;

/** A double kept in a field. */
public final class ScaleAsDoubleField {
    public double scale;
}
