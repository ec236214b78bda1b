package de.prokommun.insights.query.audience;

import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.Question;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * One audience question of one city as Pinot SQL and as the canonical parameters the privacy layer keys
 * budgets and noise by. Every query is confined to the asker's city and to profiles not deleted (Pinot 0.11
 * has no upsert deletes, so erased people are rows with deleted = true).
 */
public final class AudienceQuery {

    public static final String KIND = "audience.size";
    /** A campaign's reach (docs/CAMPAIGNS.md): the audience without residents whose objection applies. */
    public static final String REACH_KIND = "campaign.reach";

    private final String table;
    private final String city;
    private final AudienceFilter filter;
    private final Optional<Breakdown> breakdown;
    private final CategoryTaxonomy categories;
    /** Epoch day of today in the city (for activeWithinDays), or null when the caller did not say. */
    private final Integer today;
    /** Objection scopes that exclude a resident (a campaign's reach); empty for an audience question. */
    private final SortedSet<String> objections;

    public AudienceQuery(String table, String city, AudienceFilter filter, Optional<Breakdown> breakdown) {
        this(table, city, filter, breakdown, CategoryTaxonomy.EMPTY, null);
    }

    public AudienceQuery(String table, String city, AudienceFilter filter, Optional<Breakdown> breakdown,
                         CategoryTaxonomy categories, Integer today) {
        this(table, city, filter, breakdown, categories, today, new java.util.TreeSet<>());
    }

    private AudienceQuery(String table, String city, AudienceFilter filter, Optional<Breakdown> breakdown,
                          CategoryTaxonomy categories, Integer today, SortedSet<String> objections) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad table name " + table);
        this.table = table;
        this.city = city;
        this.filter = filter;
        this.breakdown = breakdown;
        this.categories = categories;
        this.today = today;
        this.objections = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(objections));
    }

    /**
     * The same audience without every resident who holds one of these objections (a campaign's reach, question
     * kind {@link #REACH_KIND}). Pinot evaluates NOT IN on a multi-value column as "none of the values", so a
     * resident with any one of them is left out.
     */
    public AudienceQuery withoutObjections(SortedSet<String> scopes) {
        return new AudienceQuery(table, city, filter, breakdown, categories, today, scopes);
    }

    public Optional<Breakdown> breakdown() { return breakdown; }

    public String countSql() {
        return "SELECT COUNT(*) FROM " + table + " WHERE " + where();
    }

    /** Per value of the breakdown column; multi-value personas are grouped per value. */
    public String breakdownSql(int maxGroups) {
        Breakdown b = breakdown.orElseThrow(() -> new IllegalStateException("no breakdown requested"));
        return "SELECT " + b.column() + ", COUNT(*) FROM " + table + " WHERE " + where()
                + " GROUP BY " + b.column() + " LIMIT " + maxGroups;
    }

    String where() {
        List<String> terms = new ArrayList<>();
        terms.add("city = " + SqlLiteral.quote(city));
        terms.add("deleted = false");
        if (filter.hasAgeRange()) {
            terms.add("age BETWEEN " + filter.ageFromOrMin() + " AND " + filter.ageToOrMax());
        }
        in(terms, "gender", filter.genders());
        in(terms, "personas", filter.personas());
        in(terms, "interests", filter.interests());
        in(terms, "district", filter.districts());
        in(terms, "householdType", filter.householdTypes());
        if (filter.consentOffers()) terms.add("consentOffers = true");
        if (filter.boughtCategory() != null) {
            terms.add("purchaseTags IN " + SqlLiteral.list(categoryTags(filter.boughtCategory())));
        }
        if (filter.customerOf() != null) terms.add("purchaseTags = " + SqlLiteral.quote("customer:" + filter.customerOf()));
        if (filter.activeWithinDays() != null) {
            if (today == null) throw new IllegalStateException("activeWithinDays needs today's epoch day");
            terms.add("lastPurchaseDay >= " + (today - filter.activeWithinDays()));
        }
        if (!objections.isEmpty()) terms.add("offerObjections NOT IN " + SqlLiteral.list(objections));
        return String.join(" AND ", terms);
    }

    /**
     * The profile tags of a bought category: "category:&lt;id&gt;:&lt;year&gt;" for a second-level id, one per child
     * for a first-level id (a person who bought two children is still one row, so the count stays distinct).
     */
    private java.util.SortedSet<String> categoryTags(AudienceFilter.BoughtCategory bought) {
        java.util.SortedSet<String> tags = new java.util.TreeSet<>();
        for (String leaf : categories.leaves(bought.category())) tags.add("category:" + leaf + ":" + bought.year());
        return tags;
    }

    private static void in(List<String> terms, String column, SortedSet<String> values) {
        if (!values.isEmpty()) terms.add(column + " IN " + SqlLiteral.list(values));
    }

    /**
     * The question in canonical form: only restrictions actually made, sets sorted and in canonical
     * spelling, an open age bound closed at 0 or 120, so the same audience asked in another order or
     * phrasing is the same question (same answer, no second charge).
     */
    public Question question() {
        return canonical().build();
    }

    private CanonicalQuestion canonical() {
        CanonicalQuestion q = CanonicalQuestion.of(objections.isEmpty() ? KIND : REACH_KIND);
        if (filter.hasAgeRange()) q.range("age", filter.ageFromOrMin(), filter.ageToOrMax());
        anyOf(q, "genders", filter.genders());
        anyOf(q, "personas", filter.personas());
        anyOf(q, "interests", filter.interests());
        anyOf(q, "districts", filter.districts());
        anyOf(q, "householdTypes", filter.householdTypes());
        if (filter.consentOffers()) q.flag("consentOffers", true);
        if (filter.boughtCategory() != null) {
            q.param("boughtCategory", filter.boughtCategory().category() + ":" + filter.boughtCategory().year());
        }
        if (filter.customerOf() != null) q.param("customerOf", filter.customerOf());
        if (filter.activeWithinDays() != null) q.param("activeWithinDays", filter.activeWithinDays().toString());
        breakdown.ifPresent(b -> q.param("breakdown", b.apiName()));
        if (!objections.isEmpty()) q.anyOf("withoutObjections", objections);
        return q;
    }

    /** The question of one cell of a breakdown whose cells overlap (personas): released on its own. */
    public Question cellQuestion(String label) {
        Breakdown b = breakdown.orElseThrow(() -> new IllegalStateException("no breakdown requested"));
        if (b.cellsDisjoint()) throw new IllegalStateException(b.apiName() + " cells are released together");
        return canonical().param("cell", label).build();
    }

    private static void anyOf(CanonicalQuestion q, String key, SortedSet<String> values) {
        if (!values.isEmpty()) q.anyOf(key, values);
    }
}
