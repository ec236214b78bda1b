package de.prokommun.insights.resident.api;

import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.data.AuditTrail;
import de.prokommun.insights.resident.data.CityFiles;
import de.prokommun.insights.resident.data.PersonStore;
import de.prokommun.insights.resident.personas.PersonaExplainer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Gathers one person's data from Pinot, the persona rules, the audit trail and the city's names (blocking). */
final class PersonReader {

    private final PersonStore store;
    private final PersonaExplainer explainer;
    private final AuditTrail audit;
    private final CityFiles cities;

    PersonReader(PersonStore store, PersonaExplainer explainer, AuditTrail audit, CityFiles cities) {
        this.store = store;
        this.explainer = explainer;
        this.audit = audit;
        this.cities = cities;
    }

    PersonView.Person read(Resident r) {
        ProfileRow profile = store.liveProfile(r.city(), r.pseudonym()).orElse(null);
        List<PersonRecord> records = store.liveRecords(r.city(), r.pseudonym());
        // Answers before the registration cannot have included the person; without a known day, all count.
        Instant since = profile == null || profile.getRegisteredDay() == null ? Instant.EPOCH
                : LocalDate.ofEpochDay(profile.getRegisteredDay()).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<AuditTrail.Recipient> recipients = audit.recipients(r.city(), since);
        return new PersonView.Person(r, profile, profile == null ? List.of() : explainer.explain(r.city(), profile),
                records, recipients, PersonView.Names.of(cities.definition(r.city()).orElse(null), profile, records,
                recipients));
    }

    List<PersonRecord> records(Resident r) {
        return store.liveRecords(r.city(), r.pseudonym());
    }
}
