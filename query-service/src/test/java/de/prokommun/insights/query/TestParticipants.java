package de.prokommun.insights.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.participants.ParticipantDirectory;
import java.security.SecureRandom;
import java.util.Base64;

/** Who the query-service ITs ask as: fresh API keys and the participant directory (digests only) that admits them. */
final class TestParticipants {
    private TestParticipants() {}

    static String randomKey() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The directory of the city's operator "stadtmarketing" and one participant, as the service reads it. */
    static String operatorAndParticipant(String city, String operatorKey, String participant, String participantKey) {
        ArrayNode list = new ObjectMapper().createArrayNode();
        list.addObject().put("id", "stadtmarketing").put("city", city).put("role", "OPERATOR")
                .put("apiKeySha256", ParticipantDirectory.digest(operatorKey));
        list.addObject().put("id", participant).put("city", city).put("role", "PARTICIPANT")
                .put("apiKeySha256", ParticipantDirectory.digest(participantKey));
        return list.toString();
    }
}
