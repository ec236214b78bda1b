package de.prokommun.insights.query.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.http.Problem;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page's list of live widgets: what one stream subscribes, and every refusal naming its field. */
class LiveRequestTest {

    @Test
    void aPagesWidgetsBecomeOneSubscriptionEachWithItsIdQuestionAndInterval() throws Exception {
        List<LiveRequest.Subscription> s = LiveRequest.parse("""
                {"subscriptions": [
                  {"id": "audience", "widget": "audience-size", "question": {"filter": {"ageFrom": 30}}},
                  {"id": "mix:0", "widget": "audience-size", "question": {"filter": {}, "breakdown": "persona"}, "every": 15},
                  {"id": "results", "widget": "campaign-results", "question": {"campaignId": "c-0123abcd"}, "every": 0, "now": true}]}
                """);
        assertThat(s).extracting(LiveRequest.Subscription::id).containsExactly("audience", "mix:0", "results");
        assertThat(s.get(0).widget()).isEqualTo(LiveWidget.AUDIENCE_SIZE);
        assertThat(s.get(0).body()).isEqualTo("{\"filter\":{\"ageFrom\":30}}");
        assertThat(s.get(0).every()).as("every data version unless asked otherwise").isEqualTo(1);
        assertThat(s.get(0).now()).isFalse();
        assertThat(s.get(1).every()).isEqualTo(15);
        assertThat(s.get(2).every()).isZero();
        assertThat(s.get(2).now()).isTrue();
    }

    @Test
    void aQuestionFillsTheRoutesPathParameter() {
        JsonObject q = new JsonObject().put("campaignId", "c-0123abcd");
        assertThat(LiveWidget.CAMPAIGN_RESULTS.pathProblem(q)).isNull();
        assertThat(LiveWidget.CAMPAIGN_RESULTS.path(q)).isEqualTo("/api/v1/campaigns/c-0123abcd/results");
        assertThat(LiveWidget.BUDGET.path(new JsonObject())).isEqualTo("/api/v1/privacy/budget");
        // never a path of its own: a value that would leave the route is refused before anything is asked
        assertThat(LiveWidget.CAMPAIGN_RESULTS.pathProblem(new JsonObject().put("campaignId", "../operator/campaigns"))).isNotNull();
        assertThat(LiveWidget.CAMPAIGN_RESULTS.pathProblem(new JsonObject().put("campaignId", 7))).isNotNull();
    }

    @Test
    void everyProblemNamesItsFieldAndNothingIsSubscribed() {
        assertThat(fields("{\"subscriptions\": [{\"id\": \"a\", \"widget\": \"sankey\"},"
                + " {\"id\": \"a\", \"widget\": \"budget\", \"every\": -1},"
                + " {\"id\": \"r\", \"widget\": \"campaign-results\", \"question\": {}},"
                + " {\"id\": \"has space\", \"widget\": \"trend\", \"question\": [], \"now\": \"yes\", \"colour\": 1}]}"))
                .containsExactlyInAnyOrder("subscriptions[0].widget", "subscriptions[1].every",
                        "subscriptions[2].question.campaignId", "subscriptions[3].id", "subscriptions[3].question",
                        "subscriptions[3].now", "subscriptions[3].colour");
        assertThat(fields("{\"subscriptions\": [{\"id\": \"a\", \"widget\": \"budget\"}, {\"id\": \"a\", \"widget\": \"trend\"}]}"))
                .containsExactly("subscriptions[1].id");
        assertThat(fields("{\"subscriptions\": []}")).containsExactly("subscriptions");
        assertThat(fields("{\"widgets\": []}")).containsExactly("widgets", "subscriptions");
        assertThat(fields("{not json")).containsExactly("body");
        assertThat(fields("{\"subscriptions\": [{\"id\": \"a\", \"widget\": \"budget\", \"every\": 1.5}]}"))
                .containsExactly("subscriptions[0].every");
    }

    @Test
    void aTaggedFrameCarriesTheWidgetsIdBesideTheHubsAnswerAsItIs() {
        String answer = "{\"status\":200,\"body\":{\"count\":{\"display\":\"12\"}},\"refresh\":{\"every\":1}}";
        String frame = LiveFrames.answer("results", answer);
        assertThat(frame).startsWith("event: answer\ndata: ").endsWith("\n\n");
        JsonObject data = new JsonObject(frame.substring("event: answer\ndata: ".length(), frame.length() - 2));
        assertThat(data.getString("id")).isEqualTo("results");
        assertThat(data.getJsonObject("answer")).isEqualTo(new JsonObject(answer));
        assertThat(LiveFrames.answer(null, answer)).isEqualTo("event: answer\ndata: " + answer + "\n\n");
        assertThat(LiveFrames.comment("a\nb")).isEqualTo(": a b\n\n");
    }

    private static List<String> fields(String body) {
        try {
            LiveRequest.parse(body);
        } catch (LiveRequest.Invalid e) {
            return e.problems.stream().map(Problem::field).toList();
        }
        throw new AssertionError("accepted: " + body);
    }
}
