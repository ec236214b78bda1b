package de.prokommun.insights.privacy;

/** What a released figure measures; part of a question's identity, so a count and a sum never share noise. */
public enum Measure { COUNT, SUM }
