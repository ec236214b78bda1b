package de.prokommun.insights.local.demo;

import static de.prokommun.insights.local.demo.DemoPortalPage.escape;

import de.prokommun.insights.events.CampaignDelivery;
import de.prokommun.insights.events.CampaignOffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Pure helper: a demo resident's inbox and one opened offer, German unless English is asked for. */
final class DemoInboxPage {
    private DemoInboxPage() {}

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM.yyyy").withZone(ZoneId.of("Europe/Berlin"));

    static String inbox(String resident, List<CampaignDelivery> offers, boolean english) {
        StringBuilder html = head(english ? "Inbox of " + resident : "Postfach von " + resident, english);
        html.append("<p>").append(english
                ? "Offers of the city's shops that fit you, delivered by the portal — the shops do not know who you are."
                  + " Why an offer reached you and how to object: privacy centre."
                : "Angebote der Geschäfte der Stadt, die zu Ihnen passen, zugestellt vom Portal — die Geschäfte wissen nicht,"
                  + " wer Sie sind. Warum ein Angebot Sie erreicht hat und wie Sie widersprechen: Datenschutz-Center.")
                .append("</p>");
        if (offers.isEmpty()) html.append("<p class=\"empty\">").append(english ? "No offers." : "Keine Angebote.").append("</p>");
        html.append("<ul>");
        for (CampaignDelivery d : offers) {
            CampaignOffer o = d.getOffer();
            html.append("<li class=\"offer\"><strong>").append(escape(o.getTitle())).append("</strong> — ")
                    .append(escape(d.getParticipant())).append(english ? ", valid until " : ", gültig bis ")
                    .append(DAY.format(Instant.ofEpochMilli(o.getValidUntil())))
                    .append(" <form method=\"post\" action=\"").append(path(resident)).append('/')
                    .append(encode(d.getCampaignId())).append(english ? "?lang=en" : "").append("\"><button>")
                    .append(english ? "Open" : "Öffnen").append("</button></form></li>");
        }
        return html.append("</ul><p><a href=\"/").append(english ? "?lang=en" : "").append("\">")
                .append(english ? "Back to the demo portal" : "Zurück zum Demo-Portal").append("</a></p></body></html>").toString();
    }

    static String opened(String resident, CampaignDelivery d, boolean english) {
        CampaignOffer o = d.getOffer();
        StringBuilder html = head(o.getTitle(), english);
        html.append("<p>").append(escape(o.getText())).append("</p>");
        if (o.getCode() != null) {
            html.append("<p>").append(english ? "Code at the till: " : "Code an der Kasse: ").append("<code>")
                    .append(escape(o.getCode())).append("</code></p>");
        }
        html.append("<p>").append(english ? "From " : "Von ").append(escape(d.getParticipant()))
                .append(english ? ", valid until " : ", gültig bis ").append(DAY.format(Instant.ofEpochMilli(o.getValidUntil())))
                .append("</p>");
        if (!d.getReasons().isEmpty()) {
            html.append("<p>").append(english ? "Because: " : "Weil: ").append(escape(String.join(", ", d.getReasons())))
                    .append("</p>");
        }
        return html.append("<p><a href=\"").append(path(resident)).append(english ? "?lang=en" : "").append("\">")
                .append(english ? "Back to the inbox" : "Zurück zum Postfach").append("</a></p></body></html>").toString();
    }

    static String path(String resident) {
        return "/postfach/" + encode(resident);
    }

    private static String encode(String s) {
        return escape(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static StringBuilder head(String title, boolean english) {
        return new StringBuilder("<!doctype html><html lang=\"").append(english ? "en" : "de")
                .append("\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.5}"
                        + "form{display:inline}</style></head><body><h1>").append(escape(title)).append("</h1>");
    }
}
