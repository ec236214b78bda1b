package de.prokommun.insights.privacy.budget;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Journals of JSON lines (budget ledger, city budget) are appended line by line; a crash while appending leaves a
 * last line without its newline. That charge was never granted, and it must be cut off before the journal is
 * appended to again: otherwise the next line would be glued to it, and the journal would be corrupt in the middle
 * at the following start.
 */
public final class TornLine {
    private TornLine() {}

    /** Truncates the file after its last newline (to empty if it has none). Returns whether bytes were cut. */
    public static boolean cut(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                channel.read(one, keep - 1);
                if (one.get(0) == '\n') break;
                keep--;
            }
            if (keep == size) return false;
            channel.truncate(keep);
            channel.force(true);
            return true;
        }
    }
}
