package de.prokommun.insights.privacy.city;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.privacy.budget.TornLine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The city-wide per-resident accountant. Every release that can involve a resident is charged here in ρ (zCDP),
 * per city and local calendar month, whoever asked for it; a release whose charge would exceed its share is not
 * made ({@link CityBudgetExhaustedException}). Publications and ad-hoc questions have separate shares
 * ({@link CityBudgetPolicy}); both are checked against the whole cap as well, so no sequence of charges from any
 * number of accounts can make a city-month's total exceed it.
 *
 * <p>Sums are kept exactly: every ρ is a double, and a double is a finite binary fraction, so its exact decimal
 * value is added with {@link BigDecimal} and compared with the exact value of the cap. With a file, each charge is
 * appended as one JSON line (flushed) before it takes effect and the file is replayed at start; a torn last line
 * (crash while appending) is a charge that was never granted and is skipped. The file holds cities, months,
 * account ids, release ids, question digests and ρ: no figure and no pseudonym. Thread-safe.
 */
public final class CityBudget implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CityBudget.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLICATION = "publication";
    private static final String AD_HOC = "ad-hoc";

    private final Map<Key, MonthState> months = new ConcurrentHashMap<>();
    private final Path file;
    private final BufferedWriter writer;

    private CityBudget(Path file) {
        this.file = file;
        if (file == null) {
            writer = null;
            return;
        }
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                replay(Files.readAllLines(file, StandardCharsets.UTF_8));
                if (TornLine.cut(file)) LOG.warn("city budget journal {}: cut off a torn last line before appending", file);
            }
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the city budget journal " + file, e);
        }
    }

    public static CityBudget inMemory() {
        return new CityBudget(null);
    }

    /** An accountant persisted as an append-only journal of JSON lines in this file (created or replayed). */
    public static CityBudget persistent(Path file) {
        return new CityBudget(Objects.requireNonNull(file, "file"));
    }

    /**
     * Charges one publication (one release for everybody). Charging the same {@code releaseId} again in the same
     * city-month is free and returns {@code repeated}; with a different ρ it is a programming error.
     *
     * @throws CityBudgetExhaustedException if the month's publication share (or the whole cap) cannot pay ρ
     */
    public CityCharge chargePublication(String city, YearMonth month, String releaseId, double rho, CityBudgetPolicy policy) {
        requireText(releaseId, "releaseId");
        return charge(city, month, PUBLICATION, null, releaseId, rho, policy);
    }

    /**
     * Charges one ad-hoc question of one account. The same (account, questionDigest) in the same city-month is
     * free and returns {@code repeated}, because its answer is the same.
     *
     * @throws CityBudgetExhaustedException if the account's part, the ad-hoc share or the whole cap cannot pay ρ
     */
    public CityCharge chargeAdHoc(String city, YearMonth month, String account, String questionDigest, double rho,
                                  CityBudgetPolicy policy) {
        return chargeAdHocAll(city, month, account, List.of(new AdHocCharge(questionDigest, rho)), policy).get(0);
    }

    /**
     * Charges the ad-hoc releases of one answer of one account together: all of them or none. Releases already
     * paid this month (same account and digest), and a digest repeated within the list, are free; the new ones are
     * checked as one sum against the account's part, the ad-hoc share and the whole cap, under the city-month's
     * lock, so a concurrent charge of any account sees either all of them or none. Without this, an answer of many
     * releases was paid release by release, and a refusal in the middle left the earlier ones paid for an answer
     * that was never given.
     *
     * @return one charge per entry, in order ({@code repeated} with ρ 0 for those paid before)
     * @throws CityBudgetExhaustedException if the sum of the new releases does not fit; then nothing is charged
     */
    public List<CityCharge> chargeAdHocAll(String city, YearMonth month, String account, List<AdHocCharge> charges,
                                           CityBudgetPolicy policy) {
        return chargeAdHocAll(city, month, null, account, charges, policy);
    }

    /**
     * As {@link #chargeAdHocAll(String, YearMonth, String, List, CityBudgetPolicy)}, paced: on {@code day} (the
     * city's local date, in {@code month}) the account's part and the ad-hoc share are checked against what the
     * policy's pacing has released by then ({@link CityBudgetPolicy#paced}: p/portions of each in portion p), so
     * that no account can spend its month in one morning and the first accounts of a month cannot spend everybody's
     * share. A refusal by the pacing names the next portion ({@link CityBudgetExhaustedException#nextPortion()}).
     * {@code day} null: the whole month's shares (no pacing).
     */
    public List<CityCharge> chargeAdHocAll(String city, YearMonth month, LocalDate day, String account,
                                           List<AdHocCharge> charges, CityBudgetPolicy policy) {
        requireText(city, "city");
        if (day != null && !YearMonth.from(day).equals(month))
            throw new IllegalArgumentException("day " + day + " is not in the month " + month);
        requireText(account, "account");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(charges, "charges");
        for (AdHocCharge c : charges) {
            Objects.requireNonNull(c, "charge");
            requireText(c.questionDigest(), "questionDigest");
            requireRho(c.rho());
        }
        Caps caps = new Caps(policy);
        MonthState state = months.computeIfAbsent(new Key(city, month), k -> new MonthState());
        synchronized (state) {
            // Which entries are new, once each; a repeated entry must come with the ρ it was paid with.
            Map<String, BigDecimal> fresh = new LinkedHashMap<>();
            boolean[] repeated = new boolean[charges.size()];
            for (int i = 0; i < charges.size(); i++) {
                AdHocCharge c = charges.get(i);
                String entry = entryKey(AD_HOC, account, c.questionDigest());
                BigDecimal amount = new BigDecimal(c.rho());
                BigDecimal earlier = state.charged.containsKey(entry) ? state.charged.get(entry) : fresh.get(entry);
                if (earlier != null) {
                    requireSameRho(AD_HOC, c.questionDigest(), earlier, c.rho());
                    repeated[i] = true;
                } else {
                    fresh.put(entry, amount);
                }
            }
            BigDecimal total = fresh.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (total.signum() > 0) refuseIfOver(state, city, month, AD_HOC, account, total, caps, day);
            List<String[]> lines = new ArrayList<>();
            for (int i = 0; i < charges.size(); i++) {
                if (!repeated[i]) lines.add(new String[] {charges.get(i).questionDigest(), Double.toString(charges.get(i).rho())});
            }
            append(city, month, AD_HOC, account, lines);
            fresh.forEach((entry, amount) -> state.pay(entry, AD_HOC, account, amount));
            CityBudgetStatus after = state.status(city, month, account, caps, day);
            List<CityCharge> out = new ArrayList<>(charges.size());
            for (int i = 0; i < charges.size(); i++) {
                out.add(repeated[i] ? new CityCharge(true, 0, after) : new CityCharge(false, charges.get(i).rho(), after));
            }
            return List.copyOf(out);
        }
    }

    /** The calendar month of this instant in the city's time zone: the accounting period. */
    public static YearMonth monthOf(Instant instant, ZoneId cityZone) {
        return YearMonth.from(LocalDate.ofInstant(instant, cityZone));
    }

    /** Spent and left of the city-month: total, publications, ad-hoc and, if given, this account. */
    public CityBudgetStatus status(String city, YearMonth month, String accountOrNull, CityBudgetPolicy policy) {
        return status(city, month, null, accountOrNull, policy);
    }

    /** As {@link #status(String, YearMonth, String, CityBudgetPolicy)}, with what the pacing has released by {@code day}. */
    public CityBudgetStatus status(String city, YearMonth month, LocalDate day, String accountOrNull,
                                   CityBudgetPolicy policy) {
        requireText(city, "city");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(policy, "policy");
        MonthState state = months.computeIfAbsent(new Key(city, month), k -> new MonthState());
        synchronized (state) {
            return state.status(city, month, accountOrNull, new Caps(policy), day);
        }
    }

    private CityCharge charge(String city, YearMonth month, String kind, String account, String id, double rho,
                              CityBudgetPolicy policy) {
        requireText(city, "city");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(policy, "policy");
        requireRho(rho);
        Caps caps = new Caps(policy);
        BigDecimal amount = new BigDecimal(rho);
        MonthState state = months.computeIfAbsent(new Key(city, month), k -> new MonthState());
        synchronized (state) {
            String entry = entryKey(kind, account, id);
            BigDecimal earlier = state.charged.get(entry);
            if (earlier != null) {
                requireSameRho(kind, id, earlier, rho);
                return new CityCharge(true, 0, state.status(city, month, account, caps, null));
            }
            refuseIfOver(state, city, month, kind, account, amount, caps, null);
            append(city, month, kind, account, List.<String[]>of(new String[] {id, Double.toString(rho)}));
            state.pay(entry, kind, account, amount);
            return new CityCharge(false, rho, state.status(city, month, account, caps, null));
        }
    }

    private static void refuseIfOver(MonthState state, String city, YearMonth month, String kind, String account,
                                     BigDecimal amount, Caps caps, LocalDate day) {
        if (PUBLICATION.equals(kind)) {
            check(state.publications, amount, caps.publication, CityBudgetExhaustedException.Share.PUBLICATIONS, state, city, month, account, caps, day);
        } else {
            BigDecimal accountSpent = state.accounts.getOrDefault(account, BigDecimal.ZERO);
            // The month's limits first (a refusal that only the next month lifts), then the pacing's.
            check(accountSpent, amount, caps.perAccount, CityBudgetExhaustedException.Share.AD_HOC_ACCOUNT, state, city, month, account, caps, day);
            check(state.adHoc, amount, caps.adHoc, CityBudgetExhaustedException.Share.AD_HOC, state, city, month, account, caps, day);
            LocalDate next = day == null ? null : caps.policy.nextPortionStart(day);
            if (next != null) {
                checkPaced(accountSpent, amount, caps.policy.paced(caps.perAccount, day),
                        CityBudgetExhaustedException.Share.AD_HOC_ACCOUNT, state, city, month, account, caps, day, next);
                checkPaced(state.adHoc, amount, caps.policy.paced(caps.adHoc, day),
                        CityBudgetExhaustedException.Share.AD_HOC, state, city, month, account, caps, day, next);
            }
        }
        check(state.publications.add(state.adHoc), amount, caps.total, CityBudgetExhaustedException.Share.CITY, state, city, month, account, caps, day);
    }

    private static void check(BigDecimal spent, BigDecimal amount, BigDecimal cap, CityBudgetExhaustedException.Share share,
                              MonthState state, String city, YearMonth month, String account, Caps caps, LocalDate day) {
        if (spent.add(amount).compareTo(cap) > 0) {
            throw new CityBudgetExhaustedException(share, city, month, amount.doubleValue(), spent.doubleValue(),
                    cap.doubleValue(), state.status(city, month, account, caps, day));
        }
    }

    private static void checkPaced(BigDecimal spent, BigDecimal amount, BigDecimal released,
                                   CityBudgetExhaustedException.Share share, MonthState state, String city,
                                   YearMonth month, String account, Caps caps, LocalDate day, LocalDate next) {
        if (spent.add(amount).compareTo(released) > 0) {
            throw new CityBudgetExhaustedException(share, city, month, amount.doubleValue(), spent.doubleValue(),
                    released.doubleValue(), state.status(city, month, account, caps, day), next);
        }
    }

    private static String entryKey(String kind, String account, String id) {
        // Length-prefixed so that no account/id pair can collide with another.
        return kind + ":" + (account == null ? "" : account.length() + ":" + account) + ":" + id;
    }

    private static void requireRho(double rho) {
        if (!(rho > 0) || Double.isInfinite(rho)) throw new IllegalArgumentException("rho must be positive and finite: " + rho);
    }

    private static void requireSameRho(String kind, String id, BigDecimal earlier, double rho) {
        if (earlier.compareTo(new BigDecimal(rho)) != 0)
            throw new IllegalArgumentException(kind + " " + id + " was charged ρ=" + earlier.doubleValue()
                    + " this month and cannot be charged again with ρ=" + rho);
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " is required");
    }

    /**
     * Appends one line per (id, ρ as text) and flushes once. A crash in the middle leaves some of an answer's
     * charges recorded and none released: that errs on the side of the residents.
     */
    private void append(String city, YearMonth month, String kind, String account, List<String[]> idsAndRhos) {
        if (writer == null || idsAndRhos.isEmpty()) return;
        synchronized (writer) {
            try {
                for (String[] idAndRho : idsAndRhos) {
                    ObjectNode line = JSON.createObjectNode()
                            .put("city", city)
                            .put("month", month.toString())
                            .put("kind", kind)
                            .put("account", account)
                            .put("id", idAndRho[0])
                            .put("rho", idAndRho[1]); // Double.toString round-trips exactly
                    writer.write(JSON.writeValueAsString(line));
                    writer.newLine();
                }
                writer.flush();
            } catch (IOException e) {
                // Fail closed: a charge that cannot be recorded is not granted.
                throw new UncheckedIOException("cannot append to the city budget journal " + file, e);
            }
        }
    }

    private void replay(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) continue;
            try {
                JsonNode line = JSON.readTree(text);
                String city = line.get("city").asText();
                YearMonth month = YearMonth.parse(line.get("month").asText());
                String kind = line.get("kind").asText();
                if (!PUBLICATION.equals(kind) && !AD_HOC.equals(kind)) throw new IllegalArgumentException("unknown kind " + kind);
                JsonNode accountNode = line.get("account");
                String account = accountNode == null || accountNode.isNull() ? null : accountNode.asText();
                if (AD_HOC.equals(kind) && account == null) throw new IllegalArgumentException("ad-hoc charge without account");
                String id = line.get("id").asText();
                BigDecimal rho = new BigDecimal(Double.parseDouble(line.get("rho").asText()));
                MonthState state = months.computeIfAbsent(new Key(city, month), k -> new MonthState());
                String entry = entryKey(kind, account, id);
                if (!state.charged.containsKey(entry)) state.pay(entry, kind, account, rho);
            } catch (IOException | RuntimeException e) {
                if (i == lines.size() - 1) {
                    LOG.warn("city budget journal {}: ignoring the torn last line {}", file, i + 1);
                    continue;
                }
                throw new IllegalStateException("city budget journal " + file + " line " + (i + 1) + " is corrupt: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        if (writer == null) return;
        synchronized (writer) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Key(String city, YearMonth month) {}

    /** The policy's limits as exact decimals of their (rounded-down) doubles. */
    private static final class Caps {
        final CityBudgetPolicy policy;
        final BigDecimal total;
        final BigDecimal publication;
        final BigDecimal adHoc;
        final BigDecimal perAccount;

        Caps(CityBudgetPolicy policy) {
            this.policy = policy;
            this.total = new BigDecimal(policy.rhoCap());
            this.publication = new BigDecimal(policy.publicationRho());
            this.adHoc = new BigDecimal(policy.adHocRho());
            this.perAccount = new BigDecimal(policy.adHocRhoPerAccount());
        }
    }

    private static final class MonthState {
        final Map<String, BigDecimal> charged = new HashMap<>();
        final Map<String, BigDecimal> accounts = new HashMap<>();
        BigDecimal publications = BigDecimal.ZERO;
        BigDecimal adHoc = BigDecimal.ZERO;

        void pay(String entry, String kind, String account, BigDecimal rho) {
            charged.put(entry, rho);
            if (PUBLICATION.equals(kind)) {
                publications = publications.add(rho);
            } else {
                adHoc = adHoc.add(rho);
                accounts.merge(account, rho, BigDecimal::add);
            }
        }

        CityBudgetStatus status(String city, YearMonth month, String account, Caps caps, LocalDate day) {
            BigDecimal accountSpent = account == null ? BigDecimal.ZERO : accounts.getOrDefault(account, BigDecimal.ZERO);
            CityBudgetPolicy p = caps.policy;
            return new CityBudgetStatus(city, month, p.epsilon().doubleValue(), p.delta().doubleValue(),
                    caps.total.doubleValue(), publications.add(adHoc).doubleValue(),
                    caps.publication.doubleValue(), publications.doubleValue(),
                    caps.adHoc.doubleValue(), adHoc.doubleValue(),
                    account, account == null ? 0 : caps.perAccount.doubleValue(), accountSpent.doubleValue(),
                    p.paced(caps.adHoc, day).doubleValue(),
                    account == null ? 0 : p.paced(caps.perAccount, day).doubleValue(),
                    day == null ? p.portions() : p.portionOf(day), p.portions(),
                    day == null ? null : p.nextPortionStart(day));
        }
    }
}
