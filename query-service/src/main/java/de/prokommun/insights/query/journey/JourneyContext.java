package de.prokommun.insights.query.journey;

import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.query.audience.CityVocabulary;

/** What one journey answer is computed against: the city's vocabulary and participants, data version, clamps. */
record JourneyContext(CityVocabulary city, ParticipantCatalogue.CityParticipants participants, String version,
                      int todayEpochDay, SumClamps clamps) {}
