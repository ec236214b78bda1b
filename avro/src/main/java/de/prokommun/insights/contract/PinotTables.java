package de.prokommun.insights.contract;

import java.util.List;

/**
 * Pinot tables and the files that define them. The JSON files under {@code pinot/} at the repository
 * root (schema and REALTIME table config per table) are the only definition; local mode, tests and
 * {@code docker/} all load them. The table configs name the topic by its default full name.
 */
public final class PinotTables {
    private PinotTables() {}

    public record Table(String name, Topic<?> source) {
        public String schemaFile() { return name + ".schema.json"; }
        public String tableConfigFile() { return name + ".table.json"; }
    }

    public static final Table PROFILES = new Table("profiles", Topics.PROFILES);

    /** Append-only contribution deltas (no pseudonym): affinity, product history, city pulse. */
    public static final Table CONTRIBUTIONS = new Table("contributions", Topics.CONTRIBUTIONS);

    /** Each person's own records (upsert by pseudonym + recordId): the resident API's exact view, nobody else's. */
    public static final Table PERSON_RECORDS = new Table("person_records", Topics.PERSON_RECORDS);

    public static final List<Table> ALL = List.of(PROFILES, CONTRIBUTIONS, PERSON_RECORDS);
}
