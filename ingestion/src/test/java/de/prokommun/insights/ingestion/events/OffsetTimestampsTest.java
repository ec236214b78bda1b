package de.prokommun.insights.ingestion.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OffsetTimestampsTest {

    /** What the formatter answers: the instant, or "refused". */
    private static String reference(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toString();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }

    private static String ours(String text) {
        try {
            return OffsetTimestamps.parse(text).toString();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }

    @Test
    void theCommonFormIsReadByHandAndAgreesWithTheFormatter() {
        Random random = new Random(20261207L);
        int byHand = 0;
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(946_684_800L + (long) (random.nextDouble() * 1_100_000_000L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            int hours = random.nextInt(29) - 14;
            int minutes = random.nextInt(4) * 15;
            ZoneOffset offset = ZoneOffset.ofHoursMinutes(hours, hours < 0 ? -minutes : minutes);
            String text = random.nextBoolean() ? instant.toString() : OffsetDateTime.ofInstant(instant, offset)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertThat(ours(text)).as(text).isEqualTo(reference(text)).isEqualTo(instant.toString());
            if (OffsetTimestamps.common(text) != null) byHand++;
        }
        // Instant.toString and the formatter always write the seconds: every one of these is read by hand
        assertThat(byHand).as("inputs read by hand").isEqualTo(20_000);
    }

    @Test
    void everyOtherSpellingAndEveryInvalidValueIsTheFormattersAnswer() {
        List<String> texts = new ArrayList<>(List.of(
                "2026-11-28T10:15:00Z", "2026-11-28T10:15:00.5Z", "2026-11-28T10:15:00.123456789Z",
                "2026-11-28T10:15:00.1234567890Z", "2026-11-28T10:15:00.Z", "2026-11-28T10:15Z", "2026-11-28t10:15:00z",
                "2026-11-28T10:15:00+01:00", "2026-11-28T10:15:00-00:00", "2026-11-28T10:15:00+18:00",
                "2026-11-28T10:15:00+18:01", "2026-11-28T10:15:00-18:00", "2026-11-28T10:15:00+19:00",
                "2026-11-28T10:15:00+0100", "2026-11-28T10:15:00+01", "2026-11-28T10:15:00+01:00:30",
                "2026-11-28T10:15:00+01:60", "2026-02-29T10:15:00Z", "2028-02-29T10:15:00Z", "2026-02-30T10:15:00Z",
                "2026-04-31T10:15:00Z", "2026-13-01T10:15:00Z", "2026-00-01T10:15:00Z", "2026-01-00T10:15:00Z",
                "2026-11-28T24:00:00Z", "2026-11-28T23:60:00Z", "2026-11-28T23:59:60Z", "2026-11-28 10:15:00Z",
                "0000-01-01T00:00:00Z", "+12026-11-28T10:15:00Z", "2026-11-28T10:15:00", "2026-11-28T10:15:00ZZ",
                "2026-11-28T10:15:00Z ", " 2026-11-28T10:15:00Z", "2026-1l-28T10:15:00Z", "2026-11-28T1O:15:00Z",
                "2026-11-28T10:15:00\u2212" + "01:00", "2026-11-28T10:15:00+\u0661\u0660:00", "２０２６-11-28T10:15:00Z",
                "2026-11-28T10:15:00.12a3Z", "2026-11-28T10:15:00.-1Z", "2026-11-28T10:15:00+-1:00", "", "Z"));
        Random random = new Random(7L);
        String base = "2026-11-28T10:15:00.250+01:00";
        String alphabet = "0123456789-:T.Z+tz ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder mutated = new StringBuilder(base);
            for (int k = random.nextInt(3) + 1; k > 0; k--) {
                int at = random.nextInt(mutated.length());
                switch (random.nextInt(3)) {
                    case 0 -> mutated.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> mutated.deleteCharAt(at);
                    default -> mutated.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            texts.add(mutated.toString());
        }
        int refused = 0;
        for (String text : texts) {
            assertThat(ours(text)).as(text).isEqualTo(reference(text));
            if (reference(text).equals("refused")) refused++;
        }
        assertThat(refused).as("the mutations include invalid values").isGreaterThan(1_000);
    }
}
