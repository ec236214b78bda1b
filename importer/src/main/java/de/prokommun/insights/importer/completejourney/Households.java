package de.prokommun.insights.importer.completejourney;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.List;

/**
 * A Complete Journey household's demographics as a Musterstadt profile, deterministically: the same household
 * always gets the same birth date and postcode, so a second import changes nothing.
 */
final class Households {
    private Households() {}

    record Profile(LocalDate birthDate, String postcode, String householdType) {}

    /**
     * @param ageBand  CJ band "19-24", "25-34", …, "65+" (65+ is read as 65–79)
     * @param comp     CJ household_comp, e.g. "2 Adults Kids"
     */
    static Profile profile(String household, String ageBand, String comp, List<String> postcodes, LocalDate reference) {
        long h = hash(household);
        int[] band = band(ageBand);
        int age = band[0] + (int) Math.floorMod(h, band[1] - band[0] + 1);
        // minus whole years, then less than one more year: the age on the reference day stays exactly 'age'
        LocalDate birth = reference.minusYears(age).minusDays(Math.floorMod(h >>> 16, 365));
        String postcode = postcodes.get((int) Math.floorMod(h >>> 32, postcodes.size()));
        return new Profile(birth, postcode, householdType(comp));
    }

    static int[] band(String ageBand) {
        String b = ageBand == null ? "" : ageBand.trim();
        if (b.endsWith("+")) {
            int from = Integer.parseInt(b.substring(0, b.length() - 1));
            return new int[] {from, from + 14};
        }
        String[] parts = b.split("-");
        if (parts.length != 2) throw new IllegalArgumentException("age band '" + ageBand + "' is not 'from-to' or 'from+'");
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    }

    static String householdType(String comp) {
        return switch (comp == null ? "" : comp.trim()) {
            case "1 Adult No Kids" -> "SINGLE";
            case "1 Adult Kids" -> "SINGLE_PARENT";
            case "2 Adults No Kids" -> "COUPLE";
            case "2 Adults Kids" -> "FAMILY";
            default -> "UNKNOWN";
        };
    }

    private static long hash(String household) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("cj-household:" + household).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xff);
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
