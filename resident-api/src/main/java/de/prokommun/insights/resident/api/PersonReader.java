package de.prokommun.insights.resident.api;

import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.data.AuditTrail;
import de.prokommun.insights.resident.data.PersonStore;
import de.prokommun.insights.resident.personas.PersonaExplainer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Gathers one person's data from Pinot, the persona rules and the audit trail (blocking). */
final class PersonReader {

    private final PersonStore store;
    private final PersonaExplainer explainer;
    private final AuditTrail audit;

    PersonReader(PersonStore store, PersonaExplainer explainer, AuditTrail audit) {
        this.store = store;
        this.explainer = explainer;
        this.audit = audit;
    }

    PersonView.Person read(Resident r) {
        ProfileRow profile = store.liveProfile(r.city(), r.pseudonym()).orElse(null);
        List<PersonRecord> records = store.liveRecords(r.city(), r.pseudonym());
        // Answers before the registration cannot have included the person; without a known day, all count.
        Instant since = profile == null || profile.getRegisteredDay() == null ? Instant.EPOCH
                : LocalDate.ofEpochDay(profile.getRegisteredDay()).atStartOfDay(ZoneOffset.UTC).toInstant();
        return new PersonView.Person(r, profile, profile == null ? List.of() : explainer.explain(r.city(), profile),
                records, audit.recipients(r.city(), since));
    }

    List<PersonRecord> records(Resident r) {
        return store.liveRecords(r.city(), r.pseudonym());
    }
}
