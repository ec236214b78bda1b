package de.prokommun.insights.query.journey;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.InvalidRequestException;
import de.prokommun.insights.query.journey.JourneyRequests.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may ask which journey figures. The operator sees the whole city. A participant sees only figures that involve
 * itself: its own rows of a matrix (pairs and flows with itself at one end), its own visits, vouchers sold or
 * redeemed by itself, its own engagement. A list of participants without the asker is a question about the pairs
 * among others (403, naming the field); with a single other participant, the asker is added.
 */
public final class JourneyScope {
    private JourneyScope() {}

    public static JourneyRequests.CrossShopping crossShopping(Asker asker, JourneyRequests.CrossShopping r) {
        List<String> nodes = nodes(asker, r.participants(), "participants");
        return new JourneyRequests.CrossShopping(r.period(), nodes, r.segment(), focus(asker));
    }

    public static JourneyRequests.Flows flows(Asker asker, JourneyRequests.Flows r) {
        if (r.level() == Level.CATEGORY && isParticipant(asker)) {
            throw new ForbiddenFieldException("level", "flows between categories involve every participant of the"
                    + " city; a participant sees the flows from and to itself (level 'participant')");
        }
        List<String> nodes = r.level() == Level.CATEGORY ? operatorNodes(r.nodes(), "nodes")
                : nodes(asker, r.nodes(), "nodes");
        return new JourneyRequests.Flows(r.period(), r.level(), nodes, r.within(), r.segment(),
                r.level() == Level.CATEGORY ? null : focus(asker));
    }

    public static JourneyRequests.FirstVisits firstVisits(Asker asker, JourneyRequests.FirstVisits r) {
        return new JourneyRequests.FirstVisits(r.period(), r.segment(), focus(asker));
    }

    public static JourneyRequests.WhenWhere whenWhere(Asker asker, JourneyRequests.WhenWhere r) {
        return new JourneyRequests.WhenWhere(r.period(), r.segment(), own(asker, r.participant(), false));
    }

    public static JourneyRequests.Vouchers vouchers(Asker asker, JourneyRequests.Vouchers r) {
        return new JourneyRequests.Vouchers(r.period(), focus(asker));
    }

    public static JourneyRequests.Engagement engagement(Asker asker, JourneyRequests.Engagement r) {
        return new JourneyRequests.Engagement(r.period(), own(asker, r.participant(), true));
    }

    /** A participant asker: itself (naming another is 403); the operator: what it named (maybe required). */
    private static String own(Asker asker, String named, boolean required) {
        if (isParticipant(asker)) {
            if (named != null && !named.equals(asker.id())) {
                throw new ForbiddenFieldException("participant", "a participant sees only its own figures ('"
                        + asker.id() + "'), not those of '" + named + "'");
            }
            return asker.id();
        }
        if (named == null && required) {
            throw new InvalidRequestException("participant", "is required: the participant whose figures to show");
        }
        return named;
    }

    private static List<String> nodes(Asker asker, List<String> named, String field) {
        if (!isParticipant(asker)) return operatorNodes(named, field);
        List<String> nodes = new ArrayList<>(named);
        if (!nodes.contains(asker.id())) {
            if (nodes.size() > 1) {
                throw new ForbiddenFieldException(field, "names " + nodes.size() + " participants other than you: a"
                        + " participant sees only the pairs and flows that involve itself; include '" + asker.id()
                        + "' in " + field);
            }
            nodes.add(0, asker.id());
        }
        if (nodes.size() > JourneyRequestParser.MAX_NODES) {
            throw new InvalidRequestException(field, "at most " + JourneyRequestParser.MAX_NODES + " participants"
                    + " including yourself");
        }
        return operatorNodes(nodes, field);
    }

    private static List<String> operatorNodes(List<String> nodes, String field) {
        if (nodes.size() < JourneyRequestParser.MIN_NODES) {
            throw new InvalidRequestException(field, "needs at least " + JourneyRequestParser.MIN_NODES + " distinct ids");
        }
        return nodes;
    }

    private static String focus(Asker asker) {
        return isParticipant(asker) ? asker.id() : null;
    }

    private static boolean isParticipant(Asker asker) {
        return asker.role() == AskerRole.PARTICIPANT;
    }
}
