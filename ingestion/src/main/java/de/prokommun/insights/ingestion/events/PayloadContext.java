package de.prokommun.insights.ingestion.events;

import java.time.LocalDate;

/** What a payload builder sees: the {@code data} fields and the event's date (null if eventTime is bad). */
record PayloadContext(JsonFields data, LocalDate eventDate) {}
