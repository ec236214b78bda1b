package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.ledger.LedgerRow;
import java.util.LinkedHashMap;
import java.util.Map;

/** The rows the ledger emitted for one scope and has not negated yet (a Flink POJO: parallel arrays). */
public class EmittedRows {
    public String[] keys;
    public LedgerRow[] rows;

    public EmittedRows() {}

    static EmittedRows of(Map<String, LedgerRow> rows) {
        EmittedRows e = new EmittedRows();
        e.keys = rows.keySet().toArray(new String[0]);
        e.rows = rows.values().toArray(new LedgerRow[0]);
        return e;
    }

    Map<String, LedgerRow> asMap() {
        Map<String, LedgerRow> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) map.put(keys[i], rows[i]);
        return map;
    }
}
