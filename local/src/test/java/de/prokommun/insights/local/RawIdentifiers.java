package de.prokommun.insights.local;

import de.prokommun.insights.city.City;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Finds identifiers of the API on a page meant for people (issue 16): dotted taxonomy keys
 * ("lebensmittel.backwaren"), UPPER_SNAKE and upper-case contract enums ("SINGLE_PARENT", "FEMALE", "RUNNING"),
 * snake_case keys ("regular_shopper", "payload_too_large") and the city's ids as words ("family").
 * Reads every text node of the page (hidden ones too: closed tables, options of a select, chart labels), one by one,
 * so that neighbouring cells do not run together.
 *
 * <p>A German page may not hold the persona ids as words anywhere ({@link #onPage}). On an English page "family",
 * "single" or "student" are ordinary words, so {@link #ofCity} scans for the exact ids of the city's files instead:
 * an id is raw where it stands alone as a cell of the text (a whole text node, or a piece between separators such as
 * "·", ",", ":" or "→"), as a label rendered from the id would; the same word inside a sentence is English. The
 * persona ids spelt like the English names of household types and genders ("family", "single", "couple") are the
 * one case text cannot decide; the English scan leaves them out.
 */
final class RawIdentifiers {

    /** Ids by their shape: never words of either language. */
    private static final List<Pattern> SHAPES = List.of(
            Pattern.compile("(?<![\\w.@/-])[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*(?![\\w@/-]|\\.\\w)"),
            Pattern.compile("\\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\\b"),
            Pattern.compile("\\b(?:FEMALE|MALE|DIVERSE|UNKNOWN|SINGLE|COUPLE|FAMILY|SHARED|RUNNING|CANCELED|CANCELLING|FAILED|FAILING|FINISHED|RESTARTING|CREATED)\\b"),
            Pattern.compile("\\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\\b"));
    /** Persona ids and API words that are no German words, so a German page holds them nowhere. */
    private static final Pattern GERMAN_PAGE_WORDS =
            Pattern.compile("\\b(?:teenager|student|single|couple|family|senior|other|unmapped|veranstaltung)\\b");
    /** Where a label rendered from an id ends: list and table separators, arrows, brackets, line breaks. */
    private static final Pattern CELL_SEPARATORS = Pattern.compile("[,;·:|→←()\\[\\]/\\n]+|\\s[–-]\\s");
    /** Words of the API that are not the city's: the pooled "other" cell, unmapped groups. */
    private static final Set<String> API_WORDS = Set.of("other", "unmapped");

    /**
     * The English page names household types and genders with their English words, which are the contract's enum
     * values in lower case ("family", "couple", "single", "female"); a persona id of the same spelling cannot be told
     * from them by the text, so an English page leaves those to the label assertions of the test.
     */
    private static final Set<String> ENGLISH_ENUM_WORDS = Stream.concat(
                    Arrays.stream(HouseholdType.values()).map(Enum::name), Arrays.stream(Gender.values()).map(Enum::name))
            .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    private final Set<String> ids;
    private final Set<String> englishIds;

    private RawIdentifiers(Set<String> ids) {
        this.ids = ids;
        this.englishIds = ids.stream().filter(id -> !ENGLISH_ENUM_WORDS.contains(id)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A scanner for the exact ids of the city's files — persona ids (personas.json), category ids (taxonomy.json),
     * published and named interests (city.json) — and {@code moreIds} (e.g. the ids of a test's own participants).
     */
    static RawIdentifiers ofCity(City city, Set<String> moreIds) {
        Set<String> ids = new TreeSet<>(API_WORDS);
        ids.addAll(city.personaIds());
        ids.addAll(city.categoriesById().keySet());
        ids.addAll(city.publishedInterests());
        ids.addAll(city.interestNames().keySet());
        ids.addAll(moreIds);
        return new RawIdentifiers(Set.copyOf(ids));
    }

    /** The raw identifiers of a German page: any id-shaped word, the persona words anywhere, the city's ids as cells. */
    List<String> onGermanPage(WebDriver browser) {
        Set<String> found = new LinkedHashSet<>();
        for (String text : texts(browser)) found.addAll(inGerman(text));
        return new ArrayList<>(found);
    }

    /** The raw identifiers of an English page: any id-shaped word and the city's ids standing alone as cells. */
    List<String> onEnglishPage(WebDriver browser) {
        Set<String> found = new LinkedHashSet<>();
        for (String text : texts(browser)) found.addAll(inEnglish(text));
        return new ArrayList<>(found);
    }

    List<String> inGerman(String text) {
        Set<String> found = new LinkedHashSet<>(in(text));
        found.addAll(cells(text, ids));
        return new ArrayList<>(found);
    }

    List<String> inEnglish(String text) {
        Set<String> found = new LinkedHashSet<>(matches(text, SHAPES));
        found.addAll(cells(text, englishIds));
        return new ArrayList<>(found);
    }

    /** The {@code ids} that stand alone as a cell of {@code text}. */
    private static List<String> cells(String text, Set<String> ids) {
        List<String> found = new ArrayList<>();
        for (String cell : CELL_SEPARATORS.split(text)) {
            String c = cell.strip();
            if (ids.contains(c)) found.add(c + " in «" + shortened(text) + "»");
        }
        return found;
    }

    /** The raw identifiers in the visible text of a German page (shapes and persona words; no city files needed). */
    static List<String> onPage(WebDriver browser) {
        Set<String> found = new LinkedHashSet<>();
        for (String text : texts(browser)) found.addAll(in(text));
        return new ArrayList<>(found);
    }

    /** The raw identifiers in one German text, as "id in «text»". */
    static List<String> in(String text) {
        List<String> found = matches(text, SHAPES);
        found.addAll(matches(text, List.of(GERMAN_PAGE_WORDS)));
        return found;
    }

    private static List<String> matches(String text, List<Pattern> patterns) {
        List<String> found = new ArrayList<>();
        for (Pattern p : patterns) {
            Matcher m = p.matcher(text);
            while (m.find()) found.add(m.group() + " in «" + shortened(text) + "»");
        }
        return found;
    }

    private static String shortened(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    private static List<String> texts(WebDriver browser) {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "const out = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
                        + " for (let n = w.nextNode(); n; n = w.nextNode()) {"
                        + "   const p = n.parentElement; if (!p || p.closest('script, style, noscript')) continue;"
                        + "   const s = n.nodeValue.trim(); if (s) out.push(s); }"
                        + " return out;");
        return texts;
    }
}
