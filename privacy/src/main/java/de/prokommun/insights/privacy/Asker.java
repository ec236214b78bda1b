package de.prokommun.insights.privacy;

/** The account that asks a question: its city, its participant or operator id (never a resident) and its role. */
public record Asker(String city, String id, AskerRole role) {
    public Asker {
        Checks.notBlank(city, "asker.city");
        Checks.notBlank(id, "asker.id");
        if (role == null) throw new IllegalArgumentException("asker.role is required");
    }
}
