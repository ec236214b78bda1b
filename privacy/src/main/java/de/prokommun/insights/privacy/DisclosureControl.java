package de.prokommun.insights.privacy;

import de.prokommun.insights.privacy.audit.AuditEntry;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetAccount;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.privacy.budget.BudgetLimits;
import de.prokommun.insights.privacy.budget.Charge;
import de.prokommun.insights.privacy.city.AdHocCharge;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one disclosure-control layer: every aggregate the query service returns to a participant or operator
 * goes through {@link #releaseCounts}, {@link #releaseSums} or, for an answer of several releases,
 * {@link #releaseAll}. Per call it
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
 * An answer made of several releases goes through {@link #releaseAll}: all of them are charged or none, so a
 * refusal never leaves an account (or the city's ad-hoc share) paying for releases of an answer it did not get.
 * Both budgets are checked under the ledger's lock on the account: its ε first, then the city-wide ρ is paid
 * (atomically for the whole answer), then ε; one account's answers are therefore charged one after the other.
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
        return status.withCity(cityBudget.status(asker.city(), month(city, now), day(city, now), cityAccount(asker),
                city.cityBudget()));
    }

    /** The city's local date: the pacing of the ad-hoc share goes by it. */
    private static java.time.LocalDate day(CityPolicy city, Instant now) {
        return java.time.LocalDate.ofInstant(now, city.zone());
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
        Checks.notNull(cells, "cells");
        return releaseAll(asker, dataVersion, List.of(new PlannedRelease(question, cells, measure, sensitivity))).get(0);
    }

    /**
     * Releases the planned releases of one answer (a count and its breakdown, the figures of a table): all of them
     * or none. What the whole answer costs is known before anything is charged: releases this asker already got
     * in this data version (same question, same data) are free as always, and the new ones are checked together
     * against the account's ε day and month budget and, with a {@link CityBudget}, the account's part of the city's
     * ad-hoc share, the share and the cap. If any of them cannot pay all of it, nothing is charged, every planned
     * release is audited as refused, and {@link BudgetExhaustedException} names the scope as for one question.
     * Two answers of the same account in parallel are checked and charged one after the other (under the ledger's
     * lock on the account), and the city-wide charge of one answer is atomic against every other account's.
     *
     * @return one release per planned release, in order
     */
    public List<Release> releaseAll(Asker asker, String dataVersion, List<PlannedRelease> planned) {
        Checks.notNull(asker, "asker");
        Checks.notBlank(dataVersion, "dataVersion");
        Checks.notNull(planned, "planned");
        if (planned.isEmpty()) throw new IllegalArgumentException("planned must not be empty");
        for (int i = 0; i < planned.size(); i++) validate(Checks.notNull(planned.get(i), "planned[" + i + "]").cells());
        CityPolicy city = policy.city(asker.city());
        RoleRules rules = city.rules(asker.role());
        BudgetLimits limits = limits(city, rules);
        BudgetAccount account = account(asker);
        Instant now = clock.instant();
        List<Identified> items = new ArrayList<>(planned.size());
        for (PlannedRelease p : planned) items.add(identify(asker, rules, dataVersion, p));

        List<List<ReleasedCell>> earlier = new ArrayList<>(items.size());
        List<String> toCharge = new ArrayList<>();
        for (Identified item : items) {
            List<ReleasedCell> answer = null;
            if (rules.sameAnswerWithinVersion()) {
                synchronized (firstAnswers) {
                    answer = firstAnswers.get(item.versionKey());
                }
            }
            earlier.add(answer);
            if (answer == null) toCharge.add(item.chargeDigest());
        }

        Map<String, Charge> charges = new HashMap<>();
        CityPayment cityPayment = new CityPayment(city, asker, items, now);
        if (!toCharge.isEmpty()) {
            List<Charge> paid;
            try {
                paid = ledger.chargeAll(account, toCharge, rules.epsilonPerQuestion(), limits, now, cityPayment);
            } catch (CityBudgetExhaustedException e) {
                auditRefused(asker, dataVersion, items, now);
                throw cityRefusal(e, city, asker, rules.epsilonPerQuestion().multiply(BigDecimal.valueOf(cityPayment.questions)), now);
            } catch (BudgetExhaustedException e) {
                auditRefused(asker, dataVersion, items, now);
                throw e;
            }
            // The ledger pays a digest listed twice once, by its first occurrence: keep that one's charge.
            for (int i = 0; i < toCharge.size(); i++) charges.putIfAbsent(toCharge.get(i), paid.get(i));
        }

        BudgetStatus status = withCity(ledger.status(account, limits, now), city, asker, now);
        Set<String> reported = new HashSet<>();
        List<Release> releases = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Identified item = items.get(i);
            if (earlier.get(i) != null) {
                releases.add(answered(asker, item.planned().question(), dataVersion, item.planned().measure(), earlier.get(i),
                        BigDecimal.ZERO, 0, true, status, now));
                continue;
            }
            Charge charge = charges.get(item.chargeDigest());
            // Within one answer, only the first release of a digest reports what it cost.
            boolean paidHere = !charge.repeated() && reported.add(item.chargeDigest());
            releases.add(answered(asker, item.planned().question(), dataVersion, item.planned().measure(),
                    noised(rules, item), paidHere ? charge.spent() : BigDecimal.ZERO,
                    paidHere ? cityPayment.rhoPaid(item.chargeDigest()) : 0, !paidHere, status, now));
        }
        return List.copyOf(releases);
    }

    /** A planned release with everything that identifies it: question, asker, data version and the data itself. */
    private record Identified(PlannedRelease planned, String[] identity, String versionKey, String dataKey,
                              String chargeDigest) {}

    private Identified identify(Asker asker, RoleRules rules, String dataVersion, PlannedRelease p) {
        String[] identity = {p.measure().name(), NoiseCalibration.fingerprint(rules, p.sensitivity()), asker.city(),
                asker.role().name(), asker.id(), p.question().canonicalForm(), dataVersion};
        String versionKey = digest(concat("question", identity));
        String dataKey = digest(concat("data", dataText(p.cells())));
        return new Identified(p, identity, versionKey, dataKey, digest(new String[] {"charge", versionKey, dataKey}));
    }

    /**
     * Pays the city-wide ρ of an answer's new releases when the ledger has found them affordable, inside the
     * ledger's lock on the account; remembers what each cost for the answer and the audit.
     */
    private final class CityPayment implements BudgetLedger.JointPayment {
        private final CityPolicy city;
        private final Asker asker;
        private final Map<String, Long> sensitivityByDigest = new HashMap<>();
        private final Instant now;
        private final Map<String, Double> paid = new HashMap<>();
        int questions;

        CityPayment(CityPolicy city, Asker asker, List<Identified> items, Instant now) {
            this.city = city;
            this.asker = asker;
            this.now = now;
            for (Identified item : items) sensitivityByDigest.putIfAbsent(item.chargeDigest(), item.planned().sensitivity());
        }

        @Override
        public void pay(List<String> newQuestionDigests) {
            questions = newQuestionDigests.size();
            if (cityBudget == null) return;
            RoleRules rules = city.rules(asker.role());
            List<AdHocCharge> charges = new ArrayList<>(newQuestionDigests.size());
            for (String digest : newQuestionDigests) {
                charges.add(new AdHocCharge(digest, NoiseCalibration.rho(rules, sensitivityByDigest.get(digest))));
            }
            List<CityCharge> result = cityBudget.chargeAdHocAll(asker.city(), month(city, now), day(city, now),
                    cityAccount(asker), charges, city.cityBudget());
            for (int i = 0; i < charges.size(); i++) paid.put(charges.get(i).questionDigest(), result.get(i).rho());
        }

        double rhoPaid(String digest) {
            return paid.getOrDefault(digest, 0.0);
        }
    }

    /** Exact integer noise per cell, clamped at zero, suppressed below k; the first answer of a version is kept. */
    private List<ReleasedCell> noised(RoleRules rules, Identified item) {
        List<TrueCell> cells = item.planned().cells();
        long sensitivity = item.planned().sensitivity();
        long[] noisy = new long[cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            TrueCell cell = cells.get(i);
            ExactSampler sampler = new ExactSampler(KeyedStream.derive(prfKey,
                    concat("noise", item.identity(), item.dataKey(), cell.label())));
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
                firstAnswers.putIfAbsent(item.versionKey(), released);
                released = firstAnswers.get(item.versionKey());
            }
        }
        return released;
    }

    private void auditRefused(Asker asker, String dataVersion, List<Identified> items, Instant now) {
        for (Identified item : items) {
            PlannedRelease p = item.planned();
            audit.record(new AuditEntry(now, asker.city(), asker.role(), asker.id(), p.question().kind(),
                    p.question().canonicalForm(), dataVersion, p.measure().name(), 0, p.cells().size(), 0, false,
                    AuditEntry.Outcome.REFUSED_BUDGET));
        }
    }

    /** The city's refusal in the terms of the account's budget (429 with the scope and the next month). */
    private BudgetExhaustedException cityRefusal(CityBudgetExhaustedException e, CityPolicy city, Asker asker,
                                                 BigDecimal epsilonNeeded, Instant now) {
        YearMonth month = month(city, now);
        RoleRules rules = city.rules(asker.role());
        BudgetStatus status = ledger.status(account(asker), limits(city, rules), now).withCity(e.status());
        // A refusal of the pacing lifts with the next portion of the month, one of the month's share with the month.
        java.time.LocalDate renews = e.nextPortion() != null ? e.nextPortion() : month.plusMonths(1).atDay(1);
        return new BudgetExhaustedException(e, epsilonNeeded.doubleValue(), status,
                renews.atStartOfDay(city.zone()).toInstant());
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
