package de.prokommun.insights.query.audience;

import java.util.Optional;

/** A validated audience question: the filter and, optionally, the dimension to break it down by. */
public record AudienceRequest(AudienceFilter filter, Optional<Breakdown> breakdown) {}
