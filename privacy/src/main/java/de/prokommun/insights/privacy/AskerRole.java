package de.prokommun.insights.privacy;

/** Who asks: a participating business/club/institution, or the city's operator organisation. */
public enum AskerRole { PARTICIPANT, OPERATOR }
