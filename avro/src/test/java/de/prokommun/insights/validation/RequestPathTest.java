package de.prokommun.insights.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestPathTest {
    @Test
    void decodablePathsPass() {
        assertThat(RequestPath.undecodable("/api/v1/me/purchases/B%2F47%c3%a4")).isNull();
        assertThat(RequestPath.undecodable("/api/v1/events")).isNull();
        assertThat(RequestPath.undecodable(null)).isNull();
    }

    @Test
    void aBadOrTruncatedEscapeIsNamedWithItsPosition() {
        assertThat(RequestPath.undecodable("/api/v1/%zz")).contains("'%zz'").contains("position 8");
        assertThat(RequestPath.undecodable("/api/v1/x%4")).contains("'%4'");
        assertThat(RequestPath.undecodable("/api/v1/x%")).contains("'%'");
        assertThat(RequestPath.undecodable("/a%41/b%g1")).contains("'%g1'");
    }
}
