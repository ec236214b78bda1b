package de.prokommun.insights.flink.ledger;

import java.util.Arrays;
import java.util.List;

/**
 * The behavioural tags of a profile row (a Flink POJO kept in the profile state; the class and the row's field
 * {@code purchaseTags} are named after their first use). Purchase tags: the ledger adds a tag when its distinct
 * key opens and removes it when the last live purchase supporting it is retracted, so tags and distinct counts
 * cannot disagree. Follow and newsletter tags: the profile builder sets them on follow / subscribe and removes
 * them on unfollow / unsubscribe. Erasure and withdrawal drop them all with the profile state.
 */
public class PurchaseTags {
    /**
     * Sorted: "category:&lt;id&gt;:&lt;year&gt;", "customer:&lt;participant&gt;", "follows:&lt;participant&gt;",
     * "newsletter:&lt;newsletter&gt;".
     */
    public String[] tags = new String[0];
    /** Epoch day of the newest live purchase. */
    public Integer lastPurchaseDay;

    public PurchaseTags() {}

    public static String categoryTag(String category, int year) {
        return "category:" + category + ":" + year;
    }

    public static String customerTag(String participant) {
        return "customer:" + participant;
    }

    public static String followsTag(String participant) {
        return "follows:" + participant;
    }

    public static String newsletterTag(String newsletter) {
        return "newsletter:" + newsletter;
    }

    /** The person follows the participant (true) or no longer does (false). */
    public void follows(String participant, boolean following) {
        if (following) add(followsTag(participant));
        else remove(followsTag(participant));
    }

    /** The person subscribes to the newsletter (true) or no longer does (false). */
    public void subscribes(String newsletter, boolean subscribed) {
        if (subscribed) add(newsletterTag(newsletter));
        else remove(newsletterTag(newsletter));
    }

    void add(String tag) {
        int at = Arrays.binarySearch(tags, tag);
        if (at >= 0) return;
        int insert = -at - 1;
        String[] grown = new String[tags.length + 1];
        System.arraycopy(tags, 0, grown, 0, insert);
        grown[insert] = tag;
        System.arraycopy(tags, insert, grown, insert + 1, tags.length - insert);
        tags = grown;
    }

    void remove(String tag) {
        int at = Arrays.binarySearch(tags, tag);
        if (at < 0) return;
        String[] shrunk = new String[tags.length - 1];
        System.arraycopy(tags, 0, shrunk, 0, at);
        System.arraycopy(tags, at + 1, shrunk, at, tags.length - at - 1);
        tags = shrunk;
    }

    public List<String> list() {
        return List.of(tags);
    }
}
