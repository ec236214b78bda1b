package de.prokommun.insights.privacy.audit;

import de.prokommun.insights.privacy.AskerRole;
import java.time.Instant;
import java.util.Objects;

/**
 * One audited question: who asked (account, never a resident), when, what (kind and canonical form), on
 * which data version, ε spent from the account's budget, ρ charged to the city-wide cap (0 without the city-wide
 * accountant), how many cells were released and suppressed, whether it was a repeat, and the outcome. It holds no
 * figure, no pseudonym and no secret.
 */
public record AuditEntry(Instant at, String city, AskerRole role, String askerId, String kind, String canonicalForm,
                         String dataVersion, String measure, double epsilonSpent, int cells, int suppressedCells,
                         boolean repeated, Outcome outcome, double rhoSpent) {

    public enum Outcome { RELEASED, REFUSED_BUDGET }

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(askerId, "askerId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(canonicalForm, "canonicalForm");
        Objects.requireNonNull(dataVersion, "dataVersion");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** An entry without a city-wide charge. */
    public AuditEntry(Instant at, String city, AskerRole role, String askerId, String kind, String canonicalForm,
                      String dataVersion, String measure, double epsilonSpent, int cells, int suppressedCells,
                      boolean repeated, Outcome outcome) {
        this(at, city, role, askerId, kind, canonicalForm, dataVersion, measure, epsilonSpent, cells, suppressedCells,
                repeated, outcome, 0);
    }
}
