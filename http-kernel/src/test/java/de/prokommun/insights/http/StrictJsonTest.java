package de.prokommun.insights.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    @Test
    void objectsAndArraysBecomeVertxJson() throws Exception {
        assertThat(StrictJson.parse("{\"a\":{\"b\":[1]}}".getBytes(UTF_8))).isInstanceOf(JsonObject.class)
                .satisfies(o -> assertThat(((JsonObject) o).getJsonObject("a").getJsonArray("b").getInteger(0)).isEqualTo(1));
        assertThat(StrictJson.parse("[{}, 2]".getBytes(UTF_8))).isInstanceOf(JsonArray.class);
    }

    @Test
    void duplicateKeyIsAnErrorWithPosition() {
        assertThatThrownBy(() -> StrictJson.parse("{\"eventId\":\"a\",\n \"eventId\":\"b\"}".getBytes(UTF_8)))
                .isInstanceOf(StrictJson.MalformedJson.class)
                .hasMessageStartingWith("malformed JSON at line 2, column ")
                .hasMessageContaining("Duplicate field 'eventId'");
    }

    @Test
    void trailingContentAndSyntaxErrorsNameThePosition() {
        assertThatThrownBy(() -> StrictJson.parse("{\"a\":1} {\"b\":2}".getBytes(UTF_8)))
                .hasMessageStartingWith("malformed JSON at line 1, column ").hasMessageContaining("Trailing token");
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": tru}".getBytes(UTF_8)))
                .hasMessageStartingWith("malformed JSON at line 1, column ");
    }

    /** Issue 15, finding 6: a NaN is refused in our words, naming the field, never as a Jackson feature switch. */
    @Test
    void nanAndInfinityAreNamedInOurWordsWithTheField() {
        for (String token : new String[] {"NaN", "Infinity", "-Infinity"}) {
            String body = "{\"data\": {\"lines\": [{\"quantity\": 1, \"amountCents\": " + token + "}]}}";
            assertThatThrownBy(() -> StrictJson.parse(body.getBytes(UTF_8)))
                    .isInstanceOf(StrictJson.MalformedJson.class)
                    .hasMessageStartingWith("malformed JSON at line 1, column ")
                    .hasMessageContaining("data.lines[0].amountCents: '" + token + "' is not a number JSON allows")
                    .hasMessageNotContaining("JsonReadFeature").hasMessageNotContaining("enable")
                    .satisfies(e -> assertThat(((StrictJson.MalformedJson) e).field()).isEqualTo("data.lines[0].amountCents"));
        }
    }

    @Test
    void jacksonFeatureHintsAreCutFromEveryMessage() {
        assertThat(StrictJson.ourWords("Unexpected character ('\\'' (code 39)): expected a valid value (JSON String, Number, ...)"
                + " or enable `JsonReadFeature.ALLOW_SINGLE_QUOTES` to allow")).doesNotContain("JsonReadFeature")
                .startsWith("Unexpected character");
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": 'x'}".getBytes(UTF_8)))
                .hasMessageStartingWith("malformed JSON at line 1, column ").hasMessageNotContaining("JsonReadFeature");
    }
}
