package de.prokommun.insights.ingestion.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    @Test
    void objectsAndArraysBecomeVertxJson() throws Exception {
        assertThat(JsonBody.parse("{\"a\":{\"b\":[1]}}".getBytes(UTF_8))).isInstanceOf(JsonObject.class)
                .satisfies(o -> assertThat(((JsonObject) o).getJsonObject("a").getJsonArray("b").getInteger(0)).isEqualTo(1));
        assertThat(JsonBody.parse("[{}, 2]".getBytes(UTF_8))).isInstanceOf(JsonArray.class);
    }

    @Test
    void duplicateKeyIsAnErrorWithPosition() {
        assertThatThrownBy(() -> JsonBody.parse("{\"eventId\":\"a\",\n \"eventId\":\"b\"}".getBytes(UTF_8)))
                .isInstanceOf(JsonBody.MalformedJson.class)
                .hasMessageStartingWith("malformed JSON at line 2, column ")
                .hasMessageContaining("Duplicate field 'eventId'");
    }

    @Test
    void trailingContentAndSyntaxErrorsNameThePosition() {
        assertThatThrownBy(() -> JsonBody.parse("{\"a\":1} {\"b\":2}".getBytes(UTF_8)))
                .hasMessageStartingWith("malformed JSON at line 1, column ").hasMessageContaining("Trailing token");
        assertThatThrownBy(() -> JsonBody.parse("{\"a\": tru}".getBytes(UTF_8)))
                .hasMessageStartingWith("malformed JSON at line 1, column ");
    }
}
