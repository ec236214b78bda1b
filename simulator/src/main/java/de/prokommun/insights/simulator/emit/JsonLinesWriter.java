package de.prokommun.insights.simulator.emit;

import de.prokommun.insights.simulator.SimEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.GZIPOutputStream;

/** Writes events as JSON lines (one envelope per line, UTF-8); a file name ending in .gz is gzipped. */
public final class JsonLinesWriter {
    private JsonLinesWriter() {}

    /** @return how many events were written */
    public static long write(Iterator<SimEvent> events, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            var out = Files.newOutputStream(file);
            var stream = file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
            try (Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
                return write(events, w);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write events to " + file, e);
        }
    }

    public static long write(Iterator<SimEvent> events, Writer out) throws IOException {
        long n = 0;
        while (events.hasNext()) {
            out.write(events.next().json());
            out.write('\n');
            n++;
        }
        out.flush();
        return n;
    }
}
