package de.prokommun.insights.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * Writer schemas of earlier versions whose messages may still be on a topic when a new version starts (an upgrade
 * in place): each file under {@code earlier/} beside this class is the schema as that version wrote it.
 */
final class EarlierSchemas {
    private EarlierSchemas() {}

    /** AnonymousEvent before it carried {@code productCategories} (until 2026-12-07). */
    static final String ANONYMOUS_EVENT_1 = "AnonymousEvent-1.avsc";

    static Schema load(String file) {
        try (InputStream in = EarlierSchemas.class.getResourceAsStream("earlier/" + file)) {
            if (in == null) throw new IllegalStateException("earlier schema missing from the classpath: " + file);
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
