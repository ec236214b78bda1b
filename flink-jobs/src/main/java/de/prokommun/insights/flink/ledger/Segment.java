package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.events.ProfileRow;
import java.util.List;

/**
 * The segment dimensions of a person when a contribution is made (a Flink POJO in ledger state). A negation
 * repeats the stored segment, never the person's current one, so the two rows cancel in every breakdown.
 */
public class Segment {
    public String ageBand;
    public String gender;
    public String district;
    public String householdType;
    public String[] personas;

    public Segment() {}

    public static Segment of(ProfileRow row) {
        Segment s = new Segment();
        s.ageBand = row.getAgeBand();
        s.gender = row.getGender();
        s.district = row.getDistrict();
        s.householdType = row.getHouseholdType();
        s.personas = row.getPersonas().toArray(new String[0]);
        return s;
    }

    List<String> personaList() {
        return personas == null ? List.of() : List.of(personas);
    }
}
