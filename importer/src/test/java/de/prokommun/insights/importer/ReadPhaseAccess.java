package de.prokommun.insights.importer;

/** Test access to {@link HistoryImport#read} for tests in other packages. */
public final class ReadPhaseAccess {
    private ReadPhaseAccess() {}

    public static ReceiptGrouper read(HistoryImport.Options options, ImportReport report) throws Exception {
        return new HistoryImport(options).read(report);
    }
}
