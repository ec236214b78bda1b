package de.prokommun.insights.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A receipt as the JSON purchase event of docs/EVENTS.md, with its original time as event time. */
public final class PurchaseEvents {
    private PurchaseEvents() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ObjectNode toJson(Receipt r) {
        ObjectNode event = JSON.createObjectNode().put("eventId", r.eventId()).put("type", "purchase")
                .put("eventTime", r.time().toString()).put("participant", r.participant());
        if (r.customer() != null) event.put("resident", r.customer());
        if (r.card() != null) event.put("card", r.card());
        ObjectNode data = event.putObject("data").put("receipt", r.receipt());
        ArrayNode lines = data.putArray("lines");
        for (Receipt.Line l : r.lines()) {
            lines.addObject().put("productGroup", l.productGroup()).put("quantity", l.quantity()).put("amountCents", l.amountCents());
        }
        return event;
    }

    public static byte[] bytes(ObjectNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
