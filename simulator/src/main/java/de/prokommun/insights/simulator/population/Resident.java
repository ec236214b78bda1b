package de.prokommun.insights.simulator.population;

import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One inhabitant of the synthetic city: the true attributes (age, sex, household, marital status) and the
 * mutable state the event generator evolves (registration, cards, consents, balances, follows). No names,
 * no e-mail: a resident is known by the portal reference "R-0000123" and card numbers "C-…" only.
 */
public final class Resident {

    public final int index;
    public final String ref;
    public final boolean male;
    public final long birthEpochDay;
    public final MaritalStatus maritalStatus;
    private final int birthYear, birthMonthDay;
    /** Own random stream, so each resident's behaviour is independent of everyone else's. */
    public final SplittableRandom rng;

    public Gender declaredGender;
    public int district;
    public HouseholdType household;
    public int householdSize;
    public int interests;            // bit i = PopulationModel.interests().get(i)
    public boolean analytics, offers, newsletter;

    /** Epoch day of registration with the portal, -1 if the resident never registers. */
    public long registerDay = -1;
    /** Epoch day from which the resident shops with a card, -1 if never. */
    public long cardFromDay = -1;
    public final List<String> cards = new ArrayList<>(2);

    public boolean registered;
    public boolean erased;
    /** Day of the resident's last portal interaction: shopping waits for the next day, keeping events in order. */
    public long lastPortalDay = Long.MIN_VALUE;
    public double activity = 1.0;
    public int[] favourites = new int[0];
    public int employer = -1;
    public int employerCredit;
    public long employerBalance;
    public long bonusPoints;
    public int club = -1;
    public final BitSet follows = new BitSet();
    public final BitSet newsletters = new BitSet();
    public String lastReceipt;
    public int lastReceiptParticipant = -1;
    public long lastReceiptDay = Long.MIN_VALUE;

    Resident(int index, boolean male, long birthEpochDay, MaritalStatus maritalStatus, SplittableRandom rng) {
        this.index = index;
        this.ref = reference(index);
        this.male = male;
        this.birthEpochDay = birthEpochDay;
        LocalDate b = LocalDate.ofEpochDay(birthEpochDay);
        this.birthYear = b.getYear();
        this.birthMonthDay = b.getMonthValue() * 32 + b.getDayOfMonth();
        this.maritalStatus = maritalStatus;
        this.rng = rng;
    }

    public static String reference(int index) {
        return String.format("R-%07d", index + 1);
    }

    public LocalDate birthDate() { return LocalDate.ofEpochDay(birthEpochDay); }

    public int ageAt(long epochDay) {
        return ageOn(LocalDate.ofEpochDay(epochDay));
    }

    /** Completed years of life on {@code date}. */
    public int ageOn(LocalDate date) {
        int age = date.getYear() - birthYear;
        int md = date.getMonthValue() * 32 + date.getDayOfMonth();
        return md < birthMonthDay ? age - 1 : age;
    }

    public Persona personaAt(long epochDay) { return Persona.of(ageAt(epochDay), household); }

    public Persona personaOn(LocalDate date) { return Persona.of(ageOn(date), household); }

    public boolean hasCard() { return !cards.isEmpty(); }

    public String card() { return cards.isEmpty() ? null : cards.get(0); }
}
