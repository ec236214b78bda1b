package de.prokommun.insights.local.demo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Pure helper: the demo portal's login page, German unless English is asked for. */
final class DemoPortalPage {
    private DemoPortalPage() {}

    static String render(List<String> residents, boolean english, Duration lifetime) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html lang=\"").append(english ? "en" : "de").append("\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(english ? "Demo portal — proKommun Insights" : "Demo-Portal — proKommun Insights")
                .append("</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.5}"
                        + "a.login{display:inline-block;margin:.3em 0;padding:.4em .9em;border:1px solid #246;border-radius:4px;"
                        + "text-decoration:none;color:#246}</style></head><body>");
        html.append("<p><a href=\"?lang=").append(english ? "de\">Deutsch" : "en\">English").append("</a></p>");
        if (english) {
            html.append("<h1>Demo portal (local mode only)</h1><p>Stands in for the city portal's login: it signs a token for a"
                    + " synthetic resident of the demo city and opens the privacy centre with it. The token is valid for ")
                    .append(lifetime.toMinutes()).append(" minutes; come back here for a new one.</p>");
        } else {
            html.append("<h1>Demo-Portal (nur im lokalen Modus)</h1><p>Ersetzt die Anmeldung des Stadtportals: Es signiert ein"
                    + " Token für einen synthetischen Einwohner der Demo-Stadt und öffnet damit das Datenschutz-Center. Das"
                    + " Token gilt ").append(lifetime.toMinutes()).append(" Minuten; für ein neues hierher zurückkehren.</p>");
        }
        if (residents.isEmpty()) {
            html.append("<p>").append(english ? "No demo residents yet: they are chosen when the city's history has been loaded."
                    : "Noch keine Demo-Einwohner: Sie werden gewählt, sobald die Geschichte der Stadt geladen ist.").append("</p>");
        }
        html.append("<ul>");
        for (String resident : residents) {
            String ref = escape(resident);
            html.append("<li><a class=\"login\" href=\"anmelden/")
                    .append(escape(URLEncoder.encode(resident, StandardCharsets.UTF_8).replace("+", "%20"))).append("\">")
                    .append(english ? "Sign in as " : "Anmelden als ").append(ref).append("</a> · <a href=\"")
                    .append(DemoInboxPage.path(resident).substring(1)).append(english ? "?lang=en" : "").append("\">")
                    .append(english ? "Inbox" : "Postfach").append("</a></li>");
        }
        return html.append("</ul></body></html>").toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
