package de.prokommun.insights.resident.data;

import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pinot.client.Connection;
import org.apache.pinot.client.ConnectionFactory;
import org.apache.pinot.client.ExecutionStats;
import org.apache.pinot.client.JsonAsyncHttpPinotClientTransportFactory;
import org.apache.pinot.client.PinotClientException;
import org.apache.pinot.client.ResultSet;
import org.apache.pinot.client.ResultSetGroup;

/**
 * One person's rows in Pinot, and nobody else's: every query is bound to the pseudonym and city of the
 * authenticated resident. Blocking (call it off the event loop). A partial answer is an error, never less data.
 */
public final class PersonStore implements AutoCloseable {
    private static final long RETRY_PAUSE_MILLIS = 200;

    private static final String PROFILES = PinotTables.PROFILES.name();
    private static final String RECORDS = PinotTables.PERSON_RECORDS.name();

    private final Connection connection;
    private final Duration timeout;
    private final int maxRecords;

    PersonStore(Connection connection, Duration timeout, int maxRecords) {
        this.connection = connection;
        this.timeout = timeout;
        this.maxRecords = maxRecords;
    }

    /** Connects to a broker given as host:port (no scheme). */
    public static PersonStore connect(String brokerHostPort, Duration timeout, int maxRecords) {
        Properties props = new Properties();
        props.setProperty("brokerReadTimeoutMs", String.valueOf(timeout.toMillis()));
        props.setProperty("brokerConnectTimeoutMs", String.valueOf(Math.min(timeout.toMillis(), 5_000)));
        var transport = new JsonAsyncHttpPinotClientTransportFactory().withConnectionProperties(props).buildTransport();
        return new PersonStore(ConnectionFactory.fromHostList(props, List.of(brokerHostPort), transport), timeout, maxRecords);
    }

    /** The person's current profile row, deleted or not (callers decide; erasure is a row with deleted = true). */
    public Optional<ProfileRow> profileRow(String city, String pseudonym) {
        List<ProfileRow> rows = select("SELECT * FROM " + PROFILES + " WHERE pseudonym = " + SqlText.literal(pseudonym)
                + " AND city = " + SqlText.literal(city) + " LIMIT 2", Topics.PROFILES.codec()::decode);
        if (rows.size() > 1) throw new DataUnavailableException("Pinot holds " + rows.size() + " current profiles for one person", null);
        return rows.stream().findFirst();
    }

    /**
     * Which of the resident's pseudonym generations (generation 0 first) is current: the one with a live profile;
     * without one, the latest generation Pinot holds a (deleted) profile of; without any, generation 0. A registration
     * after an erasure opens the next generation (docs/PRIVACY.md, "Erasure is final"), so this one query finds the
     * person's data wherever the pipeline keeps it now.
     */
    public String currentPseudonym(String city, List<String> generations) {
        String in = generations.stream().map(SqlText::literal).collect(java.util.stream.Collectors.joining(","));
        ResultSet rs = run("SELECT pseudonym, deleted FROM " + PROFILES + " WHERE city = " + SqlText.literal(city)
                + " AND pseudonym IN (" + in + ") LIMIT " + (2 * generations.size()));
        int latest = 0;
        String live = null;
        for (int r = 0; r < rs.getRowCount(); r++) {
            String pseudonym = rs.getString(r, 0);
            int generation = generations.indexOf(pseudonym);
            if (generation < 0) continue;
            if (!PinotRows.bool(rs.getString(r, 1))) {
                if (live != null && !live.equals(pseudonym)) {
                    throw new DataUnavailableException("Pinot holds live profiles of two generations of one person", null);
                }
                live = pseudonym;
            }
            latest = Math.max(latest, generation);
        }
        return live != null ? live : generations.get(latest);
    }

    /** The person's live profile: absent when there is none or it is deleted. */
    public Optional<ProfileRow> liveProfile(String city, String pseudonym) {
        return profileRow(city, pseudonym).filter(p -> !p.getDeleted());
    }

    /** Every live record of the person, oldest first. */
    public List<PersonRecord> liveRecords(String city, String pseudonym) {
        List<PersonRecord> records = select("SELECT * FROM " + RECORDS + " WHERE pseudonym = " + SqlText.literal(pseudonym)
                + " AND city = " + SqlText.literal(city) + " AND deleted = false ORDER BY eventTime, recordId LIMIT "
                + (maxRecords + 1), Topics.PERSON_RECORDS.codec()::decode);
        if (records.size() > maxRecords) {
            throw new DataUnavailableException("the person holds more than " + maxRecords
                    + " records (resident.records.max); refusing to return an incomplete list", null);
        }
        return records;
    }

    /** The person's live purchases with this receipt (one per participant that issued it). */
    public List<PersonRecord> livePurchases(String city, String pseudonym, String receipt) {
        return select("SELECT * FROM " + RECORDS + " WHERE pseudonym = " + SqlText.literal(pseudonym)
                + " AND city = " + SqlText.literal(city) + " AND kind = 'purchase' AND receipt = "
                + SqlText.literal(receipt) + " AND deleted = false LIMIT 1000", Topics.PERSON_RECORDS.codec()::decode);
    }

    /** How many of the person's records are still live (with recordId: that one record). */
    public long liveRecordCount(String city, String pseudonym, String recordIdOrNull) {
        String sql = "SELECT COUNT(*) FROM " + RECORDS + " WHERE pseudonym = " + SqlText.literal(pseudonym)
                + " AND city = " + SqlText.literal(city) + " AND deleted = false"
                + (recordIdOrNull == null ? "" : " AND recordId = " + SqlText.literal(recordIdOrNull));
        ResultSet rs = run(sql);
        return rs.getLong(0, 0);
    }

    /**
     * The participants that ever sent the person an offer (their {@code campaign.delivered} records, withdrawn ones
     * included): a resident may object to each of them even if it is not in the city's catalogue.
     */
    public java.util.Set<String> offerSenders(String city, String pseudonym) {
        ResultSet rs = run("SELECT participant, COUNT(*) FROM " + RECORDS + " WHERE pseudonym = " + SqlText.literal(pseudonym)
                + " AND city = " + SqlText.literal(city) + " AND kind = 'campaign.delivered' GROUP BY participant LIMIT 10000");
        java.util.Set<String> senders = new java.util.TreeSet<>();
        for (int r = 0; r < rs.getRowCount(); r++) senders.add(rs.getString(r, 0));
        return senders;
    }

    private interface RowDecoder<T> {
        T decode(byte[] json);
    }

    private <T> List<T> select(String sql, RowDecoder<T> decoder) {
        ResultSet rs = run(sql);
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < rs.getColumnCount(); c++) columns.add(rs.getColumnName(c));
        List<T> rows = new ArrayList<>(rs.getRowCount());
        for (int r = 0; r < rs.getRowCount(); r++) {
            List<String> values = new ArrayList<>(columns.size());
            for (int c = 0; c < columns.size(); c++) values.add(rs.getString(r, c));
            rows.add(decoder.decode(PinotRows.toCodecJson(columns, values)));
        }
        return rows;
    }

    private ResultSet run(String sql) {
        ResultSetGroup group = execute(sql);
        if (incomplete(group)) {
            // A server that just died is still in the broker's routing until its ZooKeeper session expires (~30 s);
            // the broker's connection failure detector takes it out after this failed query, so that one retry is
            // answered by the other replica instead of failing every read of that half minute.
            pauseBeforeRetry();
            group = execute(sql);
        }
        if (!group.getExceptions().isEmpty()) {
            // Pinot's exception text may quote the query, and the query holds a pseudonym: not for logs.
            throw new DataUnavailableException("Pinot reported " + group.getExceptions().size() + " exception(s)", null);
        }
        ExecutionStats stats = group.getExecutionStats();
        if (stats != null && (stats.isPartialResult() || stats.getNumServersResponded() < stats.getNumServersQueried())) {
            throw new DataUnavailableException("Pinot answered only partially", null);
        }
        if (group.getResultSetCount() != 1) throw new DataUnavailableException("expected one result set from Pinot", null);
        return group.getResultSet(0);
    }

    private ResultSetGroup execute(String sql) {
        try {
            return connection.executeAsync(sql).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataUnavailableException("interrupted while waiting for Pinot", e);
        } catch (ExecutionException | TimeoutException | PinotClientException e) {
            throw new DataUnavailableException("Pinot did not answer (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    /** Pinot reported an exception or not every server answered: worth one more try on the other replica. */
    private static boolean incomplete(ResultSetGroup group) {
        ExecutionStats stats = group.getExecutionStats();
        return !group.getExceptions().isEmpty() || (stats != null && (stats.isPartialResult()
                || stats.getNumServersResponded() < stats.getNumServersQueried()));
    }

    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataUnavailableException("interrupted while waiting for Pinot", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (PinotClientException e) {
            throw new IllegalStateException("cannot close the Pinot connection", e);
        }
    }
}
