package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.ContributionDelta;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The profile job's sinks into the contributions topic, one per branch that writes it. A sink behind a union of
 * several branches cannot be chained to any of them, so every row would first cross a network edge (serialised,
 * deserialised) into it; the two branches that write most rows — the contribution ledger, about seven rows per event,
 * and the journey ledger — get their own chained sink, the rare rows of voucher circulation and the unmapped-groups
 * report share one.
 */
public record ContributionSinks(Sink<ContributionDelta> ledger, Sink<ContributionDelta> journey,
                                Sink<ContributionDelta> others) {}
