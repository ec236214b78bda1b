package de.prokommun.insights.query.publication;

import java.math.BigDecimal;

/**
 * The noise and cost of one release of purchase statistics: the segmented figures ({@code main}, Δ² =
 * {@link PurchaseDomain#sensitivitySquared()}) and the buyers-by-age-band slice ({@code slice}, Δ² =
 * {@link BuyersByAgeBand#sensitivitySquared}; null when the slice is off). The purchases' part of the publication
 * share is split between them by {@code sliceFraction}: each is a {@link PublicationCost} on its part, so per month
 * {@code perMonth · (ρ_main + ρ_slice) < (1 − f) · share + f · share = share}. The accountant is charged their sum as
 * one release (one id, all or nothing); the publication file names both σ².
 */
public record PurchaseReleaseCost(PublicationCost main, PublicationCost slice) {

    /**
     * @param share         ρ per month of the purchases' part of the publication share
     * @param sliceFraction the part of it the age-band slice spends, 0 (no slice) ≤ f &lt; 1
     */
    public static PurchaseReleaseCost of(PurchaseDomain domain, int perMonth, double share, double sliceFraction) {
        if (!(sliceFraction >= 0 && sliceFraction < 1)) {
            throw new IllegalArgumentException("query.publication.purchases.age-band-share must be at least 0 and below 1: "
                    + sliceFraction);
        }
        long sliceDelta = BuyersByAgeBand.sensitivitySquared(domain);
        if (sliceFraction == 0 || sliceDelta == 0) {
            return new PurchaseReleaseCost(PublicationCost.ofPurchases(domain, perMonth, share), null);
        }
        return new PurchaseReleaseCost(
                new PublicationCost(Math.toIntExact(domain.sensitivitySquared()), perMonth, share * (1 - sliceFraction)),
                new PublicationCost(Math.toIntExact(sliceDelta), perMonth, share * sliceFraction));
    }

    public boolean hasSlice() {
        return slice != null;
    }

    /** σ² of the slice's cells, or null without a slice. */
    public BigDecimal sliceSigmaSquared() {
        return slice == null ? null : slice.sigmaSquared();
    }

    /** ρ of the whole release: the two parts' ρ added (zCDP composes by addition), rounded up. */
    public double rho() {
        return slice == null ? main.rho() : Math.nextUp(main.rho() + slice.rho());
    }
}
