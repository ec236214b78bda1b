package de.prokommun.insights.query.web;

import de.prokommun.insights.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/live}: the page's live widgets, each {"id", "widget", "question", "every", "now"},
 * answered over one stream whose frames carry the widget's id. Every problem names its field
 * ({@code subscriptions[2].question.campaignId}). Pure.
 */
final class LiveRequest {

    /** A page shows a handful of live widgets; more in one stream is a mistake, not a page. */
    static final int MAX_SUBSCRIPTIONS = 16;
    static final int MAX_QUESTION_CHARS = 16 * 1024;
    /** The page's own name of a widget, echoed in each frame (no markup, no spaces). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,40}");

    /** One live widget of the page: its question, asked at most once per data version, refreshed every n versions. */
    record Subscription(String id, LiveWidget widget, String body, int every, boolean now) {}

    /** The request named {@code problems}; nothing of it was subscribed. */
    static final class Invalid extends Exception {
        final List<Problem> problems;

        Invalid(List<Problem> problems) {
            super(problems.get(0).field() + ": " + problems.get(0).reason());
            this.problems = List.copyOf(problems);
        }
    }

    private LiveRequest() {}

    static List<Subscription> parse(String body) throws Invalid {
        JsonObject root;
        try {
            root = new JsonObject(body == null || body.isBlank() ? "" : body);
        } catch (RuntimeException e) {
            throw new Invalid(List.of(new Problem("body", "must be a JSON object {\"subscriptions\": [...]}")));
        }
        List<Problem> problems = new ArrayList<>();
        for (String name : root.fieldNames()) {
            if (!name.equals("subscriptions")) problems.add(new Problem(name, "unknown field; the body has only 'subscriptions'"));
        }
        if (!(root.getValue("subscriptions") instanceof JsonArray list)) {
            problems.add(new Problem("subscriptions", "must be a list of {id, widget, question, every, now}"));
            throw new Invalid(problems);
        }
        if (list.isEmpty() || list.size() > MAX_SUBSCRIPTIONS) {
            problems.add(new Problem("subscriptions", "must hold 1 to " + MAX_SUBSCRIPTIONS + " widgets, got " + list.size()));
            throw new Invalid(problems);
        }
        List<Subscription> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Subscription s = subscription("subscriptions[" + i + "]", list.getValue(i), problems);
            if (s == null) continue;
            if (!ids.add(s.id())) problems.add(new Problem("subscriptions[" + i + "].id", "'" + s.id() + "' is used twice"));
            out.add(s);
        }
        if (!problems.isEmpty()) throw new Invalid(problems);
        return out;
    }

    private static Subscription subscription(String at, Object value, List<Problem> problems) {
        if (!(value instanceof JsonObject s)) {
            problems.add(new Problem(at, "must be an object {id, widget, question, every, now}"));
            return null;
        }
        int before = problems.size();
        for (String name : s.fieldNames()) {
            if (!Set.of("id", "widget", "question", "every", "now").contains(name)) {
                problems.add(new Problem(at + "." + name, "unknown field; known: id, widget, question, every, now"));
            }
        }
        String id = s.getValue("id") instanceof String v && ID.matcher(v).matches() ? v : null;
        if (id == null) problems.add(new Problem(at + ".id", "must be 1 to 40 letters, digits or . _ : -"));
        LiveWidget widget = s.getValue("widget") instanceof String w ? LiveWidget.of(w).orElse(null) : null;
        if (widget == null) problems.add(new Problem(at + ".widget", "unknown live widget " + s.getValue("widget")
                + "; known: " + LiveWidget.known()));
        Object q = s.getValue("question", new JsonObject());
        String body = q instanceof JsonObject question ? question.encode() : null;
        if (body == null) {
            problems.add(new Problem(at + ".question", "must be the widget's request as a JSON object"));
        } else if (body.length() > MAX_QUESTION_CHARS) {
            problems.add(new Problem(at + ".question", "longer than " + MAX_QUESTION_CHARS + " characters"));
        } else if (widget != null && widget.pathProblem((JsonObject) q) != null) {
            problems.add(new Problem(at + ".question." + widget.pathParameter, widget.pathProblem((JsonObject) q)));
        }
        Object every = s.getValue("every", 1);
        boolean wholeEvery = every instanceof Integer || every instanceof Long;
        if (!wholeEvery || ((Number) every).longValue() < 0 || ((Number) every).longValue() > LiveSubscriptions.MAX_EVERY) {
            problems.add(new Problem(at + ".every", "must be a whole number of data versions from 0 (on demand only) to "
                    + LiveSubscriptions.MAX_EVERY + ", got " + every));
        }
        Object now = s.getValue("now", false);
        if (!(now instanceof Boolean)) problems.add(new Problem(at + ".now", "must be true or false, got " + now));
        if (problems.size() > before) return null;
        return new Subscription(id, widget, body, ((Number) every).intValue(), (Boolean) now);
    }
}
