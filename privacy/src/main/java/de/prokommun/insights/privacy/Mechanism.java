package de.prokommun.insights.privacy;

/** The noise distribution (both exact integer samplers, Canonne-Kamath-Steinke 2020). */
public enum Mechanism {
    /** Pure ε-DP; the default. */
    DISCRETE_LAPLACE,
    /** (ε, δ)-DP through ρ-zCDP; better when many cells or questions compose, wider for a single one. */
    DISCRETE_GAUSSIAN
}
