package de.prokommun.insights.simulator.city;

import de.prokommun.insights.participants.Role;
import java.util.List;

/**
 * One participant of the synthetic city: a business, club or institution (role PARTICIPANT), the portal or
 * the operator. {@code weight} is how many customers it attracts relative to others; {@code newsletter} is
 * the id of its newsletter or null.
 */
public record SimParticipant(int index, String id, String name, Role role, String kind, String kindLabel,
                             String sector, String postcode, int weight, boolean bonus, String newsletter,
                             boolean checkIns, boolean club, boolean voucherSystem, boolean summerSeasonal,
                             int minLines, int maxLines, OpeningHours hours, List<ProductGroup> productGroups) {

    public boolean sellsGoods() { return role == Role.PARTICIPANT && !voucherSystem && !productGroups.isEmpty(); }
}
