package de.prokommun.insights.query.audience;

/**
 * Where an answer's figures come from: {@code publication} (the city's published statistics, identical for every
 * asker and free) or {@code ad-hoc} (a release made for this question, paid from the ad-hoc share). Text only, so
 * an answer still holds nothing but released values and words.
 *
 * @param kind          "publication" or "ad-hoc"
 * @param publicationId the publication's id (publication only, else null)
 * @param publishedAt   when the publication was released, ISO-8601 (publication only, else null)
 * @param dataAsOf      the time of the data the publication counted, ISO-8601 (publication only, else null)
 */
public record AnswerSource(String kind, String publicationId, String publishedAt, String dataAsOf) {

    public static final String PUBLICATION = "publication";
    public static final String AD_HOC = "ad-hoc";

    public static AnswerSource adHoc() {
        return new AnswerSource(AD_HOC, null, null, null);
    }

    public static AnswerSource publication(String id, String publishedAt, String dataAsOf) {
        return new AnswerSource(PUBLICATION, id, publishedAt, dataAsOf);
    }

    public boolean isPublication() {
        return PUBLICATION.equals(kind);
    }
}
