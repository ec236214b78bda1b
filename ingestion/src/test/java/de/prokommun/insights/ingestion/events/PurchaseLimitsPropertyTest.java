package de.prokommun.insights.ingestion.events;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.Role;
import de.prokommun.insights.validation.StrictText;
import de.prokommun.insights.validation.WriteLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the parser against an independent oracle: random purchases with extreme numbers are valid
 * exactly when every figure lies within {@link WriteLimits}, and an accepted receipt's exact (BigInteger) total
 * is its lines' sum and within the receipt limit — no accepted event can carry an overflowing sum. Random text
 * in the receipt is accepted exactly when {@link StrictText} accepts it, and stored in its NFC form.
 */
class PurchaseLimitsPropertyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Participant SHOP = new Participant("baeckerei-schmidt", "musterstadt", Role.PARTICIPANT, "B");
    private static final long[] EXTREMES = {0, 1, -1, WriteLimits.LINE_MAX_CENTS, WriteLimits.LINE_MAX_CENTS + 1,
            Long.MAX_VALUE, Long.MIN_VALUE, (1L << 53) + 1, 1L << 62, Integer.MAX_VALUE, 99_999_999};
    private final EventParser parser = new EventParser();

    @Test
    void randomAmountsAndQuantitiesAreAcceptedExactlyWithinTheLimits() {
        Random random = new Random(14);
        int accepted = 0;
        for (int run = 0; run < 10_000; run++) {
            int lineCount = 1 + random.nextInt(random.nextInt(10) == 0 ? 20 : 4);
            JsonArray lines = new JsonArray();
            boolean linesOk = true;
            BigInteger total = BigInteger.ZERO;
            for (int i = 0; i < lineCount; i++) {
                long cents = pick(random);
                long quantity = random.nextInt(5) == 0 ? pick(random) : 1 + random.nextInt(100);
                Object centsJson = random.nextInt(50) == 0 ? BigInteger.valueOf(cents).shiftLeft(2) : (Object) cents;
                lines.add(new JsonObject().put("productGroup", "Brot").put("quantity", quantity).put("amountCents", centsJson));
                BigInteger c = centsJson instanceof BigInteger b ? b : BigInteger.valueOf(cents);
                linesOk &= c.signum() >= 0 && c.compareTo(BigInteger.valueOf(WriteLimits.LINE_MAX_CENTS)) <= 0
                        && quantity >= 1 && quantity <= WriteLimits.QUANTITY_MAX;
                total = total.add(c);
            }
            boolean expected = linesOk && total.compareTo(BigInteger.valueOf(WriteLimits.RECEIPT_MAX_CENTS)) <= 0;

            ParseResult result = parse(lines, "B-" + run);

            assertThat(result.isValid()).as("%s → %s", lines.encode(), result.errors()).isEqualTo(expected);
            if (!expected) {
                assertThat(result.errors()).allSatisfy(e -> assertThat(e.path()).startsWith("data.lines"));
                continue;
            }
            accepted++;
            Purchase p = (Purchase) result.event().getPayload();
            BigInteger stored = p.getLines().stream().map(l -> BigInteger.valueOf(l.getAmountCents()))
                    .reduce(BigInteger.ZERO, BigInteger::add);
            assertThat(stored).isEqualTo(total);
            long exact = p.getLines().stream().mapToLong(PurchaseLine::getAmountCents).reduce(0, Math::addExact);
            assertThat(exact).isBetween(0L, WriteLimits.RECEIPT_MAX_CENTS);
        }
        assertThat(accepted).as("some random receipts are plausible").isGreaterThan(500);
    }

    @Test
    void randomReceiptTextIsAcceptedExactlyWhenTheTextRuleAcceptsItAndStoredInNfc() {
        Random random = new Random(15);
        int[] pool = {'a', 'Z', '7', '-', ' ', 0x00E4, 0x0301, 0x0308, 0x1F34E, 0x0000, 0x001B, 0x000A, 0x202E, 0x2066,
                0x200B, 0xFEFF, 0x2028, 0x0085, 0xFF20, 0xD800};
        for (int run = 0; run < 10_000; run++) {
            StringBuilder b = new StringBuilder("B");
            int length = random.nextInt(6);
            for (int i = 0; i < length; i++) {
                int cp = pool[random.nextInt(pool.length)];
                if (cp == 0xD800) b.append((char) cp); else b.appendCodePoint(cp);
            }
            String receipt = b.toString();
            StrictText.Checked rule = StrictText.check(receipt, StrictText.Kind.IDENTIFIER);

            ParseResult result = parse(new JsonArray().add(new JsonObject().put("productGroup", "Brot").put("quantity", 1)
                    .put("amountCents", 100)), receipt);

            assertThat(result.isValid()).as("%s", receipt.chars().mapToObj(Integer::toHexString).toList()).isEqualTo(rule.ok());
            if (rule.ok()) assertThat(((Purchase) result.event().getPayload()).getReceipt()).isEqualTo(rule.value());
            else assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.path()).isEqualTo("data.receipt"));
        }
    }

    private ParseResult parse(JsonArray lines, String receipt) {
        JsonObject json = new JsonObject().put("eventId", "p-1").put("type", "purchase")
                .put("eventTime", "2026-11-28T10:00:00Z").put("resident", "R-1")
                .put("data", new JsonObject().put("receipt", receipt).put("lines", lines));
        return parser.parse(json, SHOP, NOW.toEpochMilli(), CLOCK);
    }

    private static long pick(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> EXTREMES[random.nextInt(EXTREMES.length)];
            case 1 -> random.nextLong();
            case 2 -> random.nextInt(WriteLimits.QUANTITY_MAX + 2);
            default -> (long) (random.nextDouble() * WriteLimits.LINE_MAX_CENTS * 1.2);
        };
    }
}
