package de.prokommun.insights.privacy;

import de.prokommun.insights.privacy.audit.AuditEntry;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetAccount;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.privacy.budget.BudgetLimits;
import de.prokommun.insights.privacy.budget.Charge;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetExhaustedException;
import de.prokommun.insights.privacy.city.CityCharge;
import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one disclosure-control layer: every aggregate the query service returns to a participant or operator
 * goes through {@link #releaseCounts} or {@link #releaseSums}. Per call it
 * <ol>
 * <li>identifies the question (canonical form, measure, noise parameters, asker, data version) and the data;</li>
 * <li>returns the earlier answer for free if this asker already asked it on this data version;</li>
 * <li>otherwise charges ε to the asker's day and month budget (its pacing) and, with a {@link CityBudget}, ρ to the
 * city-wide monthly cap per resident from the account's part of the ad-hoc share (refusing with
 * {@link BudgetExhaustedException} if either cannot pay);</li>
 * <li>adds exact integer noise per cell, seeded by a keyed PRF of question, asker, data version, data and cell;</li>
 * <li>suppresses cells below the minimum size, and one more cell where exactly one would be suppressed;</li>
 * <li>rounds for display and writes the audit entry.</li>
 * </ol>
 * Every release made here is ad-hoc: published statistics (one release for everybody) are charged to the
 * {@link CityBudget} by whoever publishes them, and answering from them is post-processing that costs nothing.
 * Both budgets are checked: the account's ε budget first without paying, then the city-wide ρ is paid, then ε.
 * Should two concurrent questions of one account race between the check and the payment, the city may have been
 * charged for a question that is then refused: that errs on the side of the resident.
 * Thread-safe.
 */
public final class DisclosureControl {

    private static final int MIN_KEY_BYTES = 32;
    private static final int CACHE_ENTRIES = 100_000;

    private final PrivacyPolicy policy;
    private final BudgetLedger ledger;
    private final CityBudget cityBudget;
    private final AuditLog audit;
    private final byte[] prfKey;
    private final Clock clock;
    private final Map<String, List<ReleasedCell>> firstAnswers = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<ReleasedCell>> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    /** Per-account budgets only, without the city-wide cap (as before issue 13). */
    public DisclosureControl(PrivacyPolicy policy, BudgetLedger ledger, AuditLog audit, byte[] prfKey, Clock clock) {
        this(policy, ledger, null, audit, prfKey, clock);
    }

    /**
     * Per-account budgets as pacing and the city-wide accountant as the guarantee: every new ad-hoc release is
     * charged to {@code cityBudget} (may be null for per-account budgets only).
     */
    public DisclosureControl(PrivacyPolicy policy, BudgetLedger ledger, CityBudget cityBudget, AuditLog audit,
                             byte[] prfKey, Clock clock) {
        this.policy = Checks.notNull(policy, "policy");
        this.ledger = Checks.notNull(ledger, "ledger");
        this.cityBudget = cityBudget;
        this.audit = Checks.notNull(audit, "audit");
        Checks.notNull(prfKey, "prfKey");
        if (prfKey.length < MIN_KEY_BYTES) throw new IllegalArgumentException("prfKey must have at least " + MIN_KEY_BYTES + " bytes");
        this.prfKey = prfKey.clone();
        this.clock = Checks.notNull(clock, "clock");
    }

    /** Counts of people (sensitivity 1 per person; the cells of a breakdown are disjoint). */
    public Release releaseCounts(Asker asker, Question question, String dataVersion, List<TrueCell> cells) {
        return release(asker, question, dataVersion, cells, Measure.COUNT, 1);
    }

    /**
     * Sums of amounts in which each person's contribution to a cell was clamped upstream to
     * [0, clampPerPerson] (e.g. cents); the noise is scaled to the clamp, and a cell whose noisy sum is below
     * k·clamp is suppressed.
     */
    public Release releaseSums(Asker asker, Question question, String dataVersion, List<TrueCell> sums, long clampPerPerson) {
        if (clampPerPerson <= 0) throw new IllegalArgumentException("clampPerPerson must be positive: " + clampPerPerson);
        return release(asker, question, dataVersion, sums, Measure.SUM, clampPerPerson);
    }

    public BudgetStatus budget(Asker asker) {
        Checks.notNull(asker, "asker");
        CityPolicy city = policy.city(asker.city());
        Instant now = clock.instant();
        return withCity(ledger.status(account(asker), limits(city, city.rules(asker.role())), now), city, asker, now);
    }

    private BudgetStatus withCity(BudgetStatus status, CityPolicy city, Asker asker, Instant now) {
        if (cityBudget == null) return status;
        return status.withCity(cityBudget.status(asker.city(), month(city, now), cityAccount(asker), city.cityBudget()));
    }

    private static YearMonth month(CityPolicy city, Instant now) {
        return CityBudget.monthOf(now, city.zone());
    }

    /** The account as the city-wide accountant names it: role and id, so an operator and a participant never share. */
    private static String cityAccount(Asker asker) {
        return asker.role().name().toLowerCase(java.util.Locale.ROOT) + "/" + asker.id();
    }

    private Release release(Asker asker, Question question, String dataVersion, List<TrueCell> cells,
                            Measure measure, long sensitivity) {
        Checks.notNull(asker, "asker");
        Checks.notNull(question, "question");
        Checks.notBlank(dataVersion, "dataVersion");
        validate(cells);
        CityPolicy city = policy.city(asker.city());
        RoleRules rules = city.rules(asker.role());
        BudgetLimits limits = limits(city, rules);
        BudgetAccount account = account(asker);
        Instant now = clock.instant();
        String canonical = question.canonicalForm();
        String[] identity = {measure.name(), NoiseCalibration.fingerprint(rules, sensitivity), asker.city(),
                asker.role().name(), asker.id(), canonical, dataVersion};
        String versionKey = digest(concat("question", identity));

        if (rules.sameAnswerWithinVersion()) {
            List<ReleasedCell> earlier;
            synchronized (firstAnswers) {
                earlier = firstAnswers.get(versionKey);
            }
            if (earlier != null) {
                return answered(asker, question, dataVersion, measure, earlier, BigDecimal.ZERO, 0, true,
                        withCity(ledger.status(account, limits, now), city, asker, now), now);
            }
        }

        String dataKey = digest(concat("data", dataText(cells)));
        String chargeDigest = digest(new String[] {"charge", versionKey, dataKey});
        Charge charge;
        double rho = 0;
        try {
            if (cityBudget != null && ledger.wouldCharge(account, chargeDigest, rules.epsilonPerQuestion(), limits, now)) {
                CityCharge cityCharge = chargeCity(city, asker, chargeDigest, NoiseCalibration.rho(rules, sensitivity), now);
                rho = cityCharge.rho();
            }
            charge = ledger.charge(account, chargeDigest, rules.epsilonPerQuestion(), limits, now);
        } catch (BudgetExhaustedException e) {
            audit.record(new AuditEntry(now, asker.city(), asker.role(), asker.id(), question.kind(), canonical,
                    dataVersion, measure.name(), 0, cells.size(), 0, false, AuditEntry.Outcome.REFUSED_BUDGET));
            throw e;
        }

        long[] noisy = new long[cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            TrueCell cell = cells.get(i);
            ExactSampler sampler = new ExactSampler(KeyedStream.derive(prfKey, concat("noise", identity, dataKey, cell.label())));
            long noise = NoiseCalibration.draw(sampler, rules, sensitivity);
            // Clamping at zero is post-processing: it costs no privacy.
            noisy[i] = Math.max(0, Math.addExact(cell.count(), noise));
        }
        long threshold = Math.multiplyExact((long) rules.minCellSize(), sensitivity);
        boolean[] suppressed = Suppression.suppress(noisy, labels(cells), threshold);
        List<ReleasedCell> released = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            released.add(suppressed[i]
                    ? new ReleasedCell(cells.get(i).label(), null, true, rules.display().fewerThan(threshold))
                    : new ReleasedCell(cells.get(i).label(), noisy[i], false, rules.display().show(noisy[i])));
        }
        released = List.copyOf(released);
        if (rules.sameAnswerWithinVersion()) {
            synchronized (firstAnswers) {
                firstAnswers.putIfAbsent(versionKey, released);
                released = firstAnswers.get(versionKey);
            }
        }
        return answered(asker, question, dataVersion, measure, released, charge.spent(), rho, charge.repeated(),
                withCity(charge.status(), city, asker, now), now);
    }

    /** Pays ρ from the account's part of the city's ad-hoc share, or refuses in the terms of the account's budget. */
    private CityCharge chargeCity(CityPolicy city, Asker asker, String chargeDigest, double rho, Instant now) {
        YearMonth month = month(city, now);
        try {
            return cityBudget.chargeAdHoc(asker.city(), month, cityAccount(asker), chargeDigest, rho, city.cityBudget());
        } catch (CityBudgetExhaustedException e) {
            RoleRules rules = city.rules(asker.role());
            BudgetStatus status = ledger.status(account(asker), limits(city, rules), now).withCity(e.status());
            throw new BudgetExhaustedException(e, rules.epsilonPerQuestion().doubleValue(), status,
                    month.plusMonths(1).atDay(1).atStartOfDay(city.zone()).toInstant());
        }
    }

    private Release answered(Asker asker, Question question, String dataVersion, Measure measure,
                             List<ReleasedCell> cells, BigDecimal spent, double rho, boolean repeated, BudgetStatus status,
                             Instant now) {
        int suppressedCount = (int) cells.stream().filter(ReleasedCell::suppressed).count();
        audit.record(new AuditEntry(now, asker.city(), asker.role(), asker.id(), question.kind(), question.canonicalForm(),
                dataVersion, measure.name(), spent.doubleValue(), cells.size(), suppressedCount, repeated,
                AuditEntry.Outcome.RELEASED, rho));
        return new Release(cells, spent.doubleValue(), repeated, status, rho);
    }

    private static void validate(List<TrueCell> cells) {
        Checks.notNull(cells, "cells");
        if (cells.isEmpty()) throw new IllegalArgumentException("cells must not be empty");
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < cells.size(); i++) {
            TrueCell c = Checks.notNull(cells.get(i), "cells[" + i + "]");
            if (c.count() < 0) throw new IllegalArgumentException("cells[" + i + "].count must not be negative: " + c.count());
            if (!labels.add(c.label())) throw new IllegalArgumentException("cells[" + i + "].label is not unique: " + c.label());
        }
    }

    private static String[] labels(List<TrueCell> cells) {
        return cells.stream().map(TrueCell::label).toArray(String[]::new);
    }

    private static String[] dataText(List<TrueCell> cells) {
        List<TrueCell> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparing(TrueCell::label));
        String[] parts = new String[sorted.size() * 2];
        for (int i = 0; i < sorted.size(); i++) {
            parts[2 * i] = sorted.get(i).label();
            parts[2 * i + 1] = Long.toString(sorted.get(i).count());
        }
        return parts;
    }

    private String digest(String[] parts) {
        return HexFormat.of().formatHex(KeyedStream.hmac(prfKey, parts));
    }

    private static String[] concat(String head, String[] middle, String... tail) {
        String[] all = new String[1 + middle.length + tail.length];
        all[0] = head;
        System.arraycopy(middle, 0, all, 1, middle.length);
        System.arraycopy(tail, 0, all, 1 + middle.length, tail.length);
        return all;
    }

    private static BudgetAccount account(Asker asker) {
        return new BudgetAccount(asker.city(), asker.role(), asker.id());
    }

    private static BudgetLimits limits(CityPolicy city, RoleRules rules) {
        return new BudgetLimits(rules.dayBudget(), rules.monthBudget(), city.zone());
    }

    @Override
    public String toString() {
        // Never print the key.
        return "DisclosureControl" + Arrays.toString(policy.cities().toArray());
    }
}
