package de.prokommun.insights.importer;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Streams the records of a CSV export (plain or gzip): a header row, then one record per row, separated by
 * the configured delimiter or, if none is configured, by {@code ;} when the header holds one, else {@code ,}.
 * Fields may be double-quoted ({@code ""} is one quote; quotes may span line breaks). Blank lines are skipped and
 * not counted as rows. A malformed record is returned with its error, and reading goes on with the next line.
 */
public final class CsvFile implements Closeable {

    /** One data row: its 1-based number among the data rows, the line it starts on, and its fields. */
    public record Row(long number, long line, List<String> fields, String error) {}

    private final Reader in;
    private final CountingStream counted;
    private final long size;
    private final List<String> header;
    private final char delimiter;
    private int pushedBack = -2;
    private long line = 1;
    private long rows;

    private CsvFile(Path file, Character configuredDelimiter) throws IOException {
        this.size = Files.size(file);
        this.counted = new CountingStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        InputStream data = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(counted, 1 << 16) : counted;
        this.in = new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        int first = in.read();
        if (first != '\uFEFF' && first != -1) pushedBack = first;
        String headerLine = peekHeaderLine();
        this.delimiter = configuredDelimiter != null ? configuredDelimiter
                : headerLine.indexOf(';') >= 0 ? ';' : ',';
        Row h = readRecord();
        if (h == null || h.error() != null || h.fields().isEmpty() || (h.fields().size() == 1 && h.fields().get(0).isEmpty())) {
            throw new IOException(file + ": no header row" + (h != null && h.error() != null ? " (" + h.error() + ")" : ""));
        }
        this.header = List.copyOf(h.fields());
    }

    public static CsvFile open(Path file, Character delimiter) throws IOException {
        return new CsvFile(file, delimiter);
    }

    public List<String> header() { return header; }

    public char delimiter() { return delimiter; }

    /** Share of the file read so far, 0..1 (compressed bytes for .gz). */
    public double progress() {
        return size == 0 ? 1 : Math.min(1, (double) counted.count / size);
    }

    /** The next data row, or null at the end. */
    public Row next() throws IOException {
        while (true) {
            Row r = readRecord();
            if (r == null) return null;
            if (r.error() == null && r.fields().size() == 1 && r.fields().get(0).isEmpty()) continue;
            return new Row(++rows, r.line(), r.fields(), r.error());
        }
    }

    private String peekHeaderLine() throws IOException {
        // the header decides the delimiter; read ahead within the reader's buffer
        in.mark(1 << 15);
        StringBuilder sb = new StringBuilder();
        if (pushedBack >= 0) sb.append((char) pushedBack);
        for (int c = in.read(); c != -1 && c != '\n' && sb.length() < (1 << 14); c = in.read()) sb.append((char) c);
        in.reset();
        return sb.toString();
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    private Row readRecord() throws IOException {
        int c = read();
        if (c == -1) return null;
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quotedField = false;
        while (true) {
            if (c == -1) {
                fields.add(quotedField ? field.toString() : field.toString().trim());
                return new Row(0, start, fields, null);
            }
            if (c == '"' && !quotedField && field.toString().isBlank()) {
                field.setLength(0);
                String error = readQuoted(field, start);
                if (error != null) return new Row(0, start, List.of(), error);
                quotedField = true;
            } else if (c == delimiter) {
                fields.add(quotedField ? field.toString() : field.toString().trim());
                field.setLength(0);
                quotedField = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    int n = read();
                    if (n != '\n') pushedBack = n;
                }
                line++;
                fields.add(quotedField ? field.toString() : field.toString().trim());
                return new Row(0, start, fields, null);
            } else if (quotedField) {
                if (!Character.isWhitespace(c)) {
                    skipLine();
                    return new Row(0, start, List.of(), "unexpected character '" + (char) c + "' after a closing quote");
                }
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private String readQuoted(StringBuilder field, long start) throws IOException {
        while (true) {
            int c = read();
            if (c == -1) return "a quoted field opened on line " + start + " is never closed";
            if (c == '"') {
                int n = read();
                if (n == '"') {
                    field.append('"');
                } else {
                    pushedBack = n;
                    return null;
                }
            } else {
                if (c == '\n') line++;
                field.append((char) c);
            }
        }
    }

    private void skipLine() throws IOException {
        for (int c = read(); c != -1; c = read()) {
            if (c == '\n') {
                line++;
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
