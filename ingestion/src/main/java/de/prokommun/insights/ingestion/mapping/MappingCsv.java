package de.prokommun.insights.ingestion.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the CSV form of a mapping upload: a header {@code productGroup;category} (columns in any order,
 * names case-insensitive), separated by {@code ;} or {@code ,} (whichever the header uses), fields optionally
 * in double quotes ({@code ""} inside quotes is one quote; quoted fields may hold separators and line breaks).
 * Unquoted fields are trimmed; an empty category removes the group's mapping. Blank lines are skipped.
 */
public final class MappingCsv {
    private MappingCsv() {}

    static final String GROUP = "productGroup";
    static final String CATEGORY = "category";

    public static MappingUpload parse(String text) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<RowError> errors = new ArrayList<>();
        List<MappingRow> rows = new ArrayList<>();
        Tokenizer in = new Tokenizer(text, delimiterOf(text));
        Tokenizer.Record header = in.next();
        while (header != null && header.isBlank()) header = in.next();
        if (header == null) {
            errors.add(new RowError(0, 1, "(header)", "the CSV is empty; expected the header 'productGroup;category'"));
            return new MappingUpload(rows, errors);
        }
        if (header.error() != null) {
            errors.add(new RowError(0, header.line(), "(header)", header.error()));
            return new MappingUpload(rows, errors);
        }
        int groupCol = indexOf(header.fields(), GROUP);
        int categoryCol = indexOf(header.fields(), CATEGORY);
        if (groupCol < 0 || categoryCol < 0 || header.fields().size() != 2) {
            errors.add(new RowError(0, header.line(), "(header)", "the header must name exactly the columns '"
                    + GROUP + "' and '" + CATEGORY + "' but is " + header.fields()));
            return new MappingUpload(rows, errors);
        }
        int row = 0;
        for (Tokenizer.Record r = in.next(); r != null; r = in.next()) {
            if (r.isBlank()) continue;
            row++;
            if (r.error() != null) {
                errors.add(new RowError(row, r.line(), "(row)", r.error()));
                continue;
            }
            if (r.fields().size() != 2) {
                errors.add(new RowError(row, r.line(), "(row)", "has " + r.fields().size()
                        + " fields but the header has 2 (separator '" + in.delimiter + "')"));
                continue;
            }
            String category = r.fields().get(categoryCol);
            rows.add(new MappingRow(row, r.line(), r.fields().get(groupCol), category.isEmpty() ? null : category));
        }
        return new MappingUpload(rows, errors);
    }

    private static int indexOf(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return i;
        }
        return -1;
    }

    /** The separator the header line uses: {@code ;} unless the header holds a comma and no semicolon. */
    static char delimiterOf(String text) {
        int end = text.indexOf('\n');
        String first = end < 0 ? text : text.substring(0, end);
        return first.indexOf(';') < 0 && first.indexOf(',') >= 0 ? ',' : ';';
    }

    /** RFC 4180 records with line numbers; a malformed record carries an error and the reader resynchronises. */
    static final class Tokenizer {
        record Record(int line, List<String> fields, String error) {
            boolean isBlank() {
                return error == null && fields.size() == 1 && fields.get(0).isEmpty();
            }
        }

        private final String text;
        final char delimiter;
        private int pos;
        private int line = 1;

        Tokenizer(String text, char delimiter) {
            this.text = text;
            this.delimiter = delimiter;
        }

        Record next() {
            if (pos >= text.length()) return null;
            int startLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            while (true) {
                if (pos >= text.length()) {
                    fields.add(quoted ? field.toString() : field.toString().trim());
                    return new Record(startLine, fields, null);
                }
                char c = text.charAt(pos);
                if (c == '"' && field.toString().isBlank() && !quoted) {
                    String error = readQuoted(field);
                    if (error != null) return skipRest(startLine, error);
                    quoted = true;
                    continue;
                }
                pos++;
                if (c == delimiter) {
                    fields.add(quoted ? field.toString() : field.toString().trim());
                    field.setLength(0);
                    quoted = false;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && pos < text.length() && text.charAt(pos) == '\n') pos++;
                    line++;
                    fields.add(quoted ? field.toString() : field.toString().trim());
                    return new Record(startLine, fields, null);
                } else if (quoted) {
                    if (!Character.isWhitespace(c)) {
                        return skipRest(startLine, "unexpected character '" + c + "' after a closing quote");
                    }
                } else {
                    field.append(c);
                }
            }
        }

        /** Reads a quoted field's content into {@code field}; pos ends after the closing quote. */
        private String readQuoted(StringBuilder field) {
            field.setLength(0);
            int startLine = line;
            pos++;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    if (pos < text.length() && text.charAt(pos) == '"') {
                        field.append('"');
                        pos++;
                    } else {
                        return null;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
            }
            return "a quoted field opened on line " + startLine + " is never closed";
        }

        private Record skipRest(int startLine, String error) {
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '\n') {
                    line++;
                    break;
                }
            }
            return new Record(startLine, List.of(), error);
        }
    }
}
