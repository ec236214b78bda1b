package de.prokommun.insights.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one text rule: issue 14's corpus as examples, and properties over many random byte arrays and strings. */
class StrictTextTest {

    private static final int RUNS = 20_000;

    // ---- strict UTF-8 ----------------------------------------------------------------------------------

    @Test
    void anOverlongSlashIsRefusedNamingBytesAndOffset() {
        byte[] body = {'"', 'B', '-', (byte) 0xC0, (byte) 0xAF, '"'};
        assertThatThrownBy(() -> StrictText.decodeUtf8(body)).isInstanceOf(StrictText.MalformedUtf8.class)
                .hasMessageContaining("C0 AF").hasMessageContaining("byte offset 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ED A0 80" /* encoded surrogate */, "E2 82" /* truncated */, "F8 88 80 80 80" /* 5 bytes */,
            "80" /* lone continuation */, "F4 90 80 80" /* above U+10FFFF */, "E0 80 AF" /* overlong, 3 bytes */})
    void malformedSequencesAreRefused(String hex) {
        String[] parts = hex.split(" ");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        assertThatThrownBy(() -> StrictText.decodeUtf8(bytes)).isInstanceOf(StrictText.MalformedUtf8.class);
    }

    @Test
    void aByteOrderMarkIsRefused() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThatThrownBy(() -> StrictText.decodeUtf8(bom)).hasMessageContaining("byte-order mark");
    }

    /** Whatever decodes, decodes exactly: re-encoding gives the bytes back (nothing replaced or altered). */
    @Test
    void randomBytesEitherFailOrRoundTripExactly() throws Exception {
        Random random = new Random(14);
        int decoded = 0;
        for (int run = 0; run < RUNS; run++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            if (run % 2 == 0) for (int i = 0; i < bytes.length; i++) if (random.nextBoolean()) bytes[i] &= 0x7f;
            String text;
            try {
                text = StrictText.decodeUtf8(bytes);
            } catch (StrictText.MalformedUtf8 e) {
                assertThat(e.offset()).isBetween(0L, (long) bytes.length);
                continue;
            }
            decoded++;
            assertThat(text.getBytes(StandardCharsets.UTF_8)).as(Arrays.toString(bytes)).isEqualTo(bytes);
        }
        assertThat(decoded).as("some random inputs are valid UTF-8").isGreaterThan(RUNS / 10);
    }

    @Test
    void everyValidStringDecodesFromItsUtf8() throws Exception {
        Random random = new Random(15);
        for (int run = 0; run < RUNS; run++) {
            String s = randomString(random, 8, false);
            if (s.startsWith("\uFEFF")) continue;
            assertThat(StrictText.decodeUtf8(s.getBytes(StandardCharsets.UTF_8))).isEqualTo(s);
        }
    }

    @Test
    void onlyUtf8IsAcceptedAsDeclaredCharset() {
        assertThat(StrictText.unsupportedCharset("application/json")).isNull();
        assertThat(StrictText.unsupportedCharset(null)).isNull();
        assertThat(StrictText.unsupportedCharset("application/json; charset=utf-8")).isNull();
        assertThat(StrictText.unsupportedCharset("application/json;Charset=\"UTF-8\"")).isNull();
        assertThat(StrictText.unsupportedCharset("application/json; charset=UTF-16")).isEqualTo("UTF-16");
        assertThat(StrictText.unsupportedCharset("application/json; charset=iso-8859-1")).isEqualTo("iso-8859-1");
    }

    // ---- the value rule --------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u001b", "\u007f", "\u0085", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
            "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff",
            "\n", "\r", "\t", "\u2028", "\u2029", "\ud800", "\udfff", "\ufffe", "\ufdd0"})
    void controlFormatSurrogateAndLineBreakCharactersAreRefusedInIdentifiers(String bad) {
        StrictText.Checked checked = StrictText.check("B-" + bad + "42", StrictText.Kind.IDENTIFIER);
        assertThat(checked.ok()).isFalse();
        assertThat(checked.problem()).startsWith("must").contains("U+").contains("at character 2");
    }

    @Test
    void freeTextMayHoldLineBreaksAndTabsOnly() {
        assertThat(StrictText.check("Umzug\r\nnach\tEssen\u2028", StrictText.Kind.FREE_TEXT).ok()).isTrue();
        assertThat(StrictText.check("Umzug\u0000", StrictText.Kind.FREE_TEXT).ok()).isFalse();
        assertThat(StrictText.check("Umzug\u202e", StrictText.Kind.FREE_TEXT).ok()).isFalse();
    }

    @Test
    void valuesComeBackInNfcAndOrdinaryTextPasses() {
        assertThat(StrictText.check("Cafe\u0301", StrictText.Kind.IDENTIFIER).value()).isEqualTo("Caf\u00e9");
        assertThat(StrictText.check("Obst & Gemüse 🍎 東京 ١٢٣", StrictText.Kind.IDENTIFIER).ok()).isTrue();
    }

    /** For random strings of every kind of code point: accepted ⇔ no forbidden character; accepted is NFC and stable. */
    @Test
    void randomStringsAreAcceptedExactlyWhenTheyHoldNoForbiddenCharacter() {
        Random random = new Random(16);
        int accepted = 0;
        for (int run = 0; run < RUNS; run++) {
            String s = randomString(random, 10, true);
            StrictText.Checked checked = StrictText.check(s, StrictText.Kind.IDENTIFIER);
            assertThat(checked.ok()).as("%s", escaped(s)).isEqualTo(!hasForbidden(s));
            if (!checked.ok()) continue;
            accepted++;
            String value = checked.value();
            assertThat(Normalizer.isNormalized(value, Normalizer.Form.NFC)).isTrue();
            assertThat(hasForbidden(value)).as("%s", escaped(value)).isFalse();
            assertThat(StrictText.check(value, StrictText.Kind.IDENTIFIER)).isEqualTo(checked);
            // what is accepted survives UTF-8 both ways unchanged: it can be stored and named again for deletion
            assertThat(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(value);
        }
        assertThat(accepted).isGreaterThan(RUNS / 20);
    }

    // ---- e-mail look-alikes ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"jane@example.org", "jane\uff20example.org", "jane\ufe6bexample.org"})
    void everyFormOfAtLooksLikeAnEmailAddress(String value) {
        assertThat(StrictText.looksLikeEmail(value)).isTrue();
    }

    @Test
    void randomTextLooksLikeAnEmailAddressExactlyWhenItsCompatibilityFormHasAnAt() {
        Random random = new Random(17);
        for (int run = 0; run < RUNS; run++) {
            String s = randomString(random, 6, false);
            if (run % 10 == 0) s = s + (char) (random.nextBoolean() ? 0xFF20 : 0xFE6B);
            boolean expected = Normalizer.normalize(s, Normalizer.Form.NFKC).contains("@");
            assertThat(StrictText.looksLikeEmail(s)).as("%s", escaped(s)).isEqualTo(expected);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** Forbidden in identifiers, decided independently of the implementation's switch. */
    private static boolean hasForbidden(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = s.codePointAt(i++);
                if ((cp & 0xFFFE) == 0xFFFE) return true;
                continue;
            }
            int type = Character.getType(c);
            if (Character.isSurrogate(c) || type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) {
                return true;
            }
        }
        return false;
    }

    /** Random code points: ASCII, Latin, combining marks, the forbidden ranges, astral, lone surrogates. */
    private static String randomString(Random random, int maxLength, boolean withForbidden) {
        StringBuilder b = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(withForbidden ? 8 : 5);
            int cp = switch (kind) {
                case 0 -> 0x20 + random.nextInt(0x5f);
                case 1 -> 0xA0 + random.nextInt(0x200);
                case 2 -> 0x300 + random.nextInt(0x70);
                case 3 -> 0x1F300 + random.nextInt(0x300);
                case 4 -> 0x4E00 + random.nextInt(0x100);
                case 5 -> random.nextInt(0x20);
                case 6 -> new int[] {0x202A, 0x202E, 0x2066, 0x2069, 0x200B, 0x200F, 0xFEFF, 0x2028, 0xFFFF, 0x85}[random.nextInt(10)];
                default -> 0xD800 + random.nextInt(0x800);
            };
            if (Character.isSurrogate((char) cp) && cp < 0x10000) b.append((char) cp);
            else if (kind != 7 && !Character.isSurrogate((char) cp)) b.appendCodePoint(cp);
        }
        return b.toString();
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }
}
