package de.prokommun.insights.privacy.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetExhaustedException;
import de.prokommun.insights.privacy.BudgetStatus;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Privacy budgets per account, per local day and local month. A question is paid once per month: the ledger
 * remembers the digest of every question it charged this month, and a repeated question (same digest) is free
 * because its answer is the same. Thread-safe. With a file, every charge is appended as one JSON line before it
 * takes effect, and the file is replayed at start, so a restart does not reset anyone's budget.
 * The file holds account ids, digests (keyed HMACs, not questions), ε and dates: no figure, no pseudonym.
 */
public final class BudgetLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<BudgetAccount, AccountState> accounts = new ConcurrentHashMap<>();
    private final Path file;
    private final BufferedWriter writer;

    private BudgetLedger(Path file) {
        this.file = file;
        if (file == null) {
            writer = null;
            return;
        }
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                replay(Files.readAllLines(file, StandardCharsets.UTF_8));
                if (TornLine.cut(file)) LOG.warn("budget ledger {}: cut off a torn last line before appending", file);
            }
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the budget ledger " + file, e);
        }
    }

    public static BudgetLedger inMemory() {
        return new BudgetLedger(null);
    }

    /** A ledger persisted as append-only JSON lines in this file (created if missing, replayed if present). */
    public static BudgetLedger persistent(Path file) {
        return new BudgetLedger(Objects.requireNonNull(file, "file"));
    }

    /**
     * Pays ε for the question with this digest, unless the account already paid for it this month.
     *
     * @throws BudgetExhaustedException if the day's or the month's remaining budget is below ε
     */
    public Charge charge(BudgetAccount account, String questionDigest, BigDecimal epsilon, BudgetLimits limits, Instant now) {
        Objects.requireNonNull(questionDigest, "questionDigest");
        if (epsilon.signum() <= 0) throw new IllegalArgumentException("epsilon must be positive: " + epsilon);
        LocalDate today = LocalDate.ofInstant(now, limits.zone());
        AccountState state = accounts.computeIfAbsent(account, a -> new AccountState());
        synchronized (state) {
            state.rollTo(today);
            if (state.asked.contains(questionDigest)) {
                return new Charge(true, BigDecimal.ZERO, state.status(limits, today));
            }
            refuseIfOver(state, epsilon, limits, today);
            append(account, List.of(questionDigest), epsilon, today, now);
            state.pay(questionDigest, epsilon);
            return new Charge(false, epsilon, state.status(limits, today));
        }
    }

    /**
     * Pays ε for every question of one answer that the account has not paid for this month: all of them or none.
     * The new questions (each digest once) are checked as one sum against the day's and the month's remaining
     * budget; then {@code jointPayment} is given their digests and pays whatever else must be paid for them (the
     * city-wide ρ), and only if it returns normally is ε paid. All of it happens under the account's lock, so two
     * answers of one account in parallel cannot both pass the check and together overspend, and nothing is paid
     * for an answer that is then refused.
     *
     * @return one charge per digest, in order ({@code repeated} and free for those paid before)
     * @throws BudgetExhaustedException if the budgets cannot pay the new questions together; nothing is paid
     * @throws RuntimeException whatever {@code jointPayment} throws to refuse; nothing is paid here either
     */
    public List<Charge> chargeAll(BudgetAccount account, List<String> questionDigests, BigDecimal epsilonEach,
                                  BudgetLimits limits, Instant now, JointPayment jointPayment) {
        Objects.requireNonNull(questionDigests, "questionDigests");
        Objects.requireNonNull(jointPayment, "jointPayment");
        if (epsilonEach.signum() <= 0) throw new IllegalArgumentException("epsilon must be positive: " + epsilonEach);
        LocalDate today = LocalDate.ofInstant(now, limits.zone());
        AccountState state = accounts.computeIfAbsent(account, a -> new AccountState());
        synchronized (state) {
            state.rollTo(today);
            Set<String> fresh = new LinkedHashSet<>();
            for (String digest : questionDigests) {
                Objects.requireNonNull(digest, "questionDigest");
                if (!state.asked.contains(digest)) fresh.add(digest);
            }
            if (!fresh.isEmpty()) {
                refuseIfOver(state, epsilonEach.multiply(BigDecimal.valueOf(fresh.size())), limits, today);
                jointPayment.pay(List.copyOf(fresh));
                append(account, List.copyOf(fresh), epsilonEach, today, now);
                for (String digest : fresh) state.pay(digest, epsilonEach);
            }
            BudgetStatus after = state.status(limits, today);
            List<Charge> charges = new ArrayList<>(questionDigests.size());
            Set<String> paidNow = new HashSet<>();
            for (String digest : questionDigests) {
                // A digest listed twice is paid once, by its first occurrence.
                boolean paidHere = fresh.contains(digest) && paidNow.add(digest);
                charges.add(paidHere ? new Charge(false, epsilonEach, after) : new Charge(true, BigDecimal.ZERO, after));
            }
            return List.copyOf(charges);
        }
    }

    /** What must be paid together with the account's ε for the same questions; throws to refuse all of them. */
    @FunctionalInterface
    public interface JointPayment {
        /** Nothing else to pay (per-account budgets only). */
        JointPayment NONE = digests -> { };

        void pay(List<String> newQuestionDigests);
    }

    /**
     * Whether {@link #charge} would pay ε for this question now, without paying: false for a question already paid
     * this month (a repeat is free), true for one the budgets can pay.
     *
     * @throws BudgetExhaustedException if the day's or the month's remaining budget is below ε
     */
    public boolean wouldCharge(BudgetAccount account, String questionDigest, BigDecimal epsilon, BudgetLimits limits, Instant now) {
        Objects.requireNonNull(questionDigest, "questionDigest");
        LocalDate today = LocalDate.ofInstant(now, limits.zone());
        AccountState state = accounts.computeIfAbsent(account, a -> new AccountState());
        synchronized (state) {
            state.rollTo(today);
            if (state.asked.contains(questionDigest)) return false;
            refuseIfOver(state, epsilon, limits, today);
            return true;
        }
    }

    private static void refuseIfOver(AccountState state, BigDecimal epsilon, BudgetLimits limits, LocalDate today) {
        BigDecimal leftMonth = limits.month().subtract(state.spentMonth);
        BigDecimal leftDay = limits.day().subtract(state.spentDay);
        if (leftMonth.compareTo(epsilon) < 0) {
            throw new BudgetExhaustedException(BudgetExhaustedException.Period.MONTH, epsilon.doubleValue(),
                    state.status(limits, today), startOfNextMonth(today, limits.zone()));
        }
        if (leftDay.compareTo(epsilon) < 0) {
            throw new BudgetExhaustedException(BudgetExhaustedException.Period.DAY, epsilon.doubleValue(),
                    state.status(limits, today), startOfNextDay(today, limits.zone()));
        }
    }

    /** Whether the account already paid for this question this month (a repeat would be free). */
    public boolean paidFor(BudgetAccount account, String questionDigest, ZoneId zone, Instant now) {
        AccountState state = accounts.get(account);
        if (state == null) return false;
        synchronized (state) {
            state.rollTo(LocalDate.ofInstant(now, zone));
            return state.asked.contains(questionDigest);
        }
    }

    public BudgetStatus status(BudgetAccount account, BudgetLimits limits, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, limits.zone());
        AccountState state = accounts.computeIfAbsent(account, a -> new AccountState());
        synchronized (state) {
            state.rollTo(today);
            return state.status(limits, today);
        }
    }

    static Instant startOfNextDay(LocalDate today, ZoneId zone) {
        return today.plusDays(1).atStartOfDay(zone).toInstant();
    }

    static Instant startOfNextMonth(LocalDate today, ZoneId zone) {
        return YearMonth.from(today).plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    /** One line per digest, flushed once; a crash in the middle records some of an answer's charges, never too few. */
    private void append(BudgetAccount account, List<String> digests, BigDecimal epsilon, LocalDate day, Instant now) {
        if (writer == null) return;
        synchronized (writer) {
            try {
                for (String digest : digests) {
                    ObjectNode line = JSON.createObjectNode()
                            .put("at", now.toString())
                            .put("city", account.city())
                            .put("role", account.role().name())
                            .put("asker", account.askerId())
                            .put("day", day.toString())
                            .put("question", digest)
                            .put("epsilon", epsilon.toPlainString());
                    writer.write(JSON.writeValueAsString(line));
                    writer.newLine();
                }
                writer.flush();
            } catch (IOException e) {
                // Fail closed: a charge that cannot be recorded is not granted.
                throw new UncheckedIOException("cannot append to the budget ledger " + file, e);
            }
        }
    }

    private void replay(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) continue;
            JsonNode line;
            try {
                line = JSON.readTree(text);
                BudgetAccount account = new BudgetAccount(line.get("city").asText(),
                        AskerRole.valueOf(line.get("role").asText()), line.get("asker").asText());
                AccountState state = accounts.computeIfAbsent(account, a -> new AccountState());
                state.rollTo(LocalDate.parse(line.get("day").asText()));
                state.pay(line.get("question").asText(), new BigDecimal(line.get("epsilon").asText()));
            } catch (IOException | RuntimeException e) {
                if (i == lines.size() - 1) {
                    // A crash while appending leaves at most a torn last line; that charge was never granted.
                    LOG.warn("budget ledger {}: ignoring the torn last line {}", file, i + 1);
                    continue;
                }
                throw new IllegalStateException("budget ledger " + file + " line " + (i + 1) + " is corrupt: " + e.getMessage(), e);
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

    private static final class AccountState {
        LocalDate day;
        YearMonth month;
        BigDecimal spentDay = BigDecimal.ZERO;
        BigDecimal spentMonth = BigDecimal.ZERO;
        final Set<String> asked = new HashSet<>();

        void rollTo(LocalDate today) {
            YearMonth thisMonth = YearMonth.from(today);
            if (month == null || thisMonth.isAfter(month)) {
                month = thisMonth;
                spentMonth = BigDecimal.ZERO;
                asked.clear();
            }
            if (day == null || today.isAfter(day)) {
                day = today;
                spentDay = BigDecimal.ZERO;
            }
        }

        void pay(String digest, BigDecimal epsilon) {
            if (asked.add(digest)) {
                spentDay = spentDay.add(epsilon);
                spentMonth = spentMonth.add(epsilon);
            }
        }

        BudgetStatus status(BudgetLimits limits, LocalDate today) {
            BigDecimal leftDay = limits.day().subtract(spentDay).max(BigDecimal.ZERO);
            BigDecimal leftMonth = limits.month().subtract(spentMonth).max(BigDecimal.ZERO);
            return new BudgetStatus(leftDay.min(leftMonth).doubleValue(), leftMonth.doubleValue(),
                    startOfNextDay(today, limits.zone()));
        }
    }
}
