package de.prokommun.insights.local;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Finds identifiers of the API on a page meant for people (issue 16): dotted taxonomy keys
 * ("lebensmittel.backwaren"), UPPER_SNAKE and upper-case contract enums ("SINGLE_PARENT", "FEMALE", "RUNNING"),
 * snake_case keys ("regular_shopper", "payload_too_large") and the city's persona ids as words ("family").
 * Reads every text node of the page (hidden ones too: closed tables, options of a select, chart labels), one by one,
 * so that neighbouring cells do not run together.
 */
final class RawIdentifiers {

    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("(?<![\\w.@/-])[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*(?![\\w@/-]|\\.\\w)"),
            Pattern.compile("\\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\\b"),
            Pattern.compile("\\b(?:FEMALE|MALE|DIVERSE|UNKNOWN|SINGLE|COUPLE|FAMILY|SHARED|RUNNING|CANCELED|CANCELLING|FAILED|FAILING|FINISHED|RESTARTING|CREATED)\\b"),
            Pattern.compile("\\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\\b"),
            Pattern.compile("\\b(?:teenager|student|single|couple|family|senior|other|unmapped|veranstaltung)\\b"));

    private RawIdentifiers() {}

    /** The raw identifiers in the visible text of the page, each with the text it stands in. */
    static List<String> onPage(WebDriver browser) {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "const out = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
                        + " for (let n = w.nextNode(); n; n = w.nextNode()) {"
                        + "   const p = n.parentElement; if (!p || p.closest('script, style, noscript')) continue;"
                        + "   const s = n.nodeValue.trim(); if (s) out.push(s); }"
                        + " return out;");
        Set<String> found = new LinkedHashSet<>();
        for (String text : texts) found.addAll(in(text));
        return new ArrayList<>(found);
    }

    /** The raw identifiers in one text, as "id in «text»". */
    static List<String> in(String text) {
        List<String> found = new ArrayList<>();
        for (Pattern p : PATTERNS) {
            Matcher m = p.matcher(text);
            while (m.find()) found.add(m.group() + " in «" + (text.length() > 120 ? text.substring(0, 120) + "…" : text) + "»");
        }
        return found;
    }
}
