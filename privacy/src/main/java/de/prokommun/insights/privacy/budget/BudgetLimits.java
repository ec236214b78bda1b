package de.prokommun.insights.privacy.budget;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Objects;

/** ε per local day and per local month, and the zone whose midnight starts a new day. */
public record BudgetLimits(BigDecimal day, BigDecimal month, ZoneId zone) {
    public BudgetLimits {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(zone, "zone");
    }
}
