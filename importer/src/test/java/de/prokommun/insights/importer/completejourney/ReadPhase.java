package de.prokommun.insights.importer.completejourney;

import de.prokommun.insights.importer.HistoryImport;
import de.prokommun.insights.importer.ImportReport;
import de.prokommun.insights.importer.ReceiptGrouper;

/** Test access to the import's read phase from this package. */
final class ReadPhase {
    private ReadPhase() {}

    static ReceiptGrouper read(HistoryImport.Options options, ImportReport report) throws Exception {
        return de.prokommun.insights.importer.ReadPhaseAccess.read(options, report);
    }
}
