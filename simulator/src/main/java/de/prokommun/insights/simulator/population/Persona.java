package de.prokommun.insights.simulator.population;

import de.prokommun.insights.events.HouseholdType;

/**
 * The simulator's behavioural persona: drives how often someone shops and which categories they prefer.
 * (The analytical personas are configured per city in the Flink jobs; these only shape the synthetic data.)
 */
public enum Persona {
    TEENAGER(0.5), YOUNG_ADULT(1.0), SINGLE(1.1), COUPLE(1.3), FAMILY(1.7), BEST_AGER(1.3), SENIOR(1.0);

    /** Card-using shopping trips per week. */
    public final double weeklyTrips;

    Persona(double weeklyTrips) { this.weeklyTrips = weeklyTrips; }

    public static Persona of(int age, HouseholdType household) {
        if (age < 18) return TEENAGER;
        if (age >= 67) return SENIOR;
        if (household == HouseholdType.FAMILY || household == HouseholdType.SINGLE_PARENT) return age < 60 ? FAMILY : BEST_AGER;
        if (age < 30) return YOUNG_ADULT;
        if (age >= 50) return BEST_AGER;
        return household == HouseholdType.COUPLE ? COUPLE : SINGLE;
    }
}
