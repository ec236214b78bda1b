package de.prokommun.insights.query.web;

import io.vertx.core.json.JsonArray;

/**
 * The server-sent events of a live stream. A stream of one widget ({@code GET /api/v1/live/<widget>}) sends the
 * answer itself; a page's stream ({@code POST /api/v1/live}) wraps it as {"id": the widget's id, "answer": …}.
 * Pure.
 */
final class LiveFrames {
    private LiveFrames() {}

    /** {@code event: answer}; the answer is the hub's JSON text {"status", "body", "refresh"}, not parsed again. */
    static String answer(String id, String answer) {
        String data = id == null ? answer : "{\"id\":" + quoted(id) + ",\"answer\":" + answer + "}";
        return "event: answer\ndata: " + data + "\n\n";
    }

    private static String quoted(String text) {
        String array = new JsonArray().add(text).encode();
        return array.substring(1, array.length() - 1);
    }

    /** A comment line: ignored by readers, keeps proxies from closing an idle stream. */
    static String comment(String text) {
        return ": " + text.replace('\n', ' ') + "\n\n";
    }
}
