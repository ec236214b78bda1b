package de.prokommun.insights.query.health;

import java.util.Map;

/**
 * One tile of the health monitor: {@code id} (stable, the UI translates it), status, the headline number
 * (null when unknown), its unit, a short reason when not OK, and the figures behind it.
 */
public record Tile(String id, Status status, Double value, String unit, String reason, Map<String, Object> detail) {

    public enum Status { OK, RED, UNKNOWN }
}
