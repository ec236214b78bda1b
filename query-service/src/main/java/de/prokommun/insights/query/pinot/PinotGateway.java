package de.prokommun.insights.query.pinot;

import de.prokommun.insights.query.audience.CountsUnavailableException;
import de.prokommun.insights.query.audience.TrueCountSource;
import de.prokommun.insights.query.insights.ContributionSource;
import de.prokommun.insights.query.publication.CubeSource;
import java.util.ArrayList;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The only class that talks to Pinot: runs count queries at a broker and returns exact counts. A partial
 * answer (a server missing, an exception at the broker) is an error, never a smaller count.
 */
public final class PinotGateway implements TrueCountSource, ContributionSource, CubeSource, AutoCloseable {
    private static final long RETRY_PAUSE_MILLIS = 200;

    private final Connection connection;
    private final Duration timeout;

    private PinotGateway(Connection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /** Connects to a broker given as host:port (no scheme). */
    public static PinotGateway connect(String brokerHostPort, Duration timeout) {
        Properties props = new Properties();
        props.setProperty("brokerReadTimeoutMs", String.valueOf(timeout.toMillis()));
        props.setProperty("brokerConnectTimeoutMs", String.valueOf(Math.min(timeout.toMillis(), 5_000)));
        var transport = new JsonAsyncHttpPinotClientTransportFactory().withConnectionProperties(props).buildTransport();
        return new PinotGateway(ConnectionFactory.fromHostList(props, List.of(brokerHostPort), transport), timeout);
    }

    @Override
    public long count(String sql) {
        ResultSet rs = run(sql);
        if (rs.getRowCount() != 1) throw new CountsUnavailableException("expected one row from a count, got "
                + rs.getRowCount(), null);
        return rs.getLong(0, 0);
    }

    @Override
    public Map<String, Long> countsPerValue(String sql) {
        ResultSet rs = run(sql);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int row = 0; row < rs.getRowCount(); row++) {
            counts.merge(rs.getString(row, 0), rs.getLong(row, 1), Long::sum);
        }
        return counts;
    }

    @Override
    public Map<List<String>, Long> sums(String sql, int groupColumns) {
        return wholeNumbersPerGroup(sql, groupColumns);
    }

    /** COUNT(*) per group arrives as a whole number like a sum of whole deltas. */
    @Override
    public Map<List<String>, Long> countsPerGroup(String sql, int groupColumns) {
        return wholeNumbersPerGroup(sql, groupColumns);
    }

    private Map<List<String>, Long> wholeNumbersPerGroup(String sql, int groupColumns) {
        ResultSet rs = run(sql);
        Map<List<String>, Long> sums = new LinkedHashMap<>();
        for (int row = 0; row < rs.getRowCount(); row++) {
            List<String> key = new ArrayList<>(groupColumns);
            for (int c = 0; c < groupColumns; c++) key.add(rs.getString(row, c));
            sums.merge(List.copyOf(key), wholeNumber(rs.getString(row, groupColumns)), Long::sum);
        }
        return sums;
    }

    /** Pinot 0.11 returns SUM as a double; sums of whole deltas are whole (exact below 2^53). */
    private static long wholeNumber(String text) {
        double value = Double.parseDouble(text);
        if (Double.isNaN(value) || Double.isInfinite(value) || value != Math.rint(value) || Math.abs(value) > 9.0e15) {
            throw new CountsUnavailableException("Pinot returned a sum that is not a whole number: " + text, null);
        }
        return (long) value;
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
            throw new CountsUnavailableException("Pinot reported " + group.getExceptions(), null);
        }
        ExecutionStats stats = group.getExecutionStats();
        if (stats != null && (stats.isPartialResult() || stats.isNumGroupsLimitReached()
                || stats.getNumServersResponded() < stats.getNumServersQueried())) {
            throw new CountsUnavailableException("Pinot answered only partially: " + stats, null);
        }
        if (group.getResultSetCount() != 1) {
            throw new CountsUnavailableException("expected one result set, got " + group.getResultSetCount(), null);
        }
        return group.getResultSet(0);
    }

    private ResultSetGroup execute(String sql) {
        try {
            return connection.executeAsync(sql).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CountsUnavailableException("interrupted while waiting for Pinot", e);
        } catch (ExecutionException | TimeoutException | PinotClientException e) {
            throw new CountsUnavailableException("Pinot did not answer: " + e.getMessage(), e);
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
            throw new CountsUnavailableException("interrupted while waiting for Pinot", e);
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
