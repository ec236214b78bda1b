package de.prokommun.insights.privacy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Policies and keys for tests. */
final class TestPolicies {
    private TestPolicies() {}

    static final String CITY = "musterstadt";
    static final byte[] KEY = "disclosure-control-test-prf-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final Asker BAKERY = new Asker(CITY, "baeckerei-schmidt", AskerRole.PARTICIPANT);
    static final Asker BUTCHER = new Asker(CITY, "metzgerei-kaya", AskerRole.PARTICIPANT);
    static final Asker CITY_MARKETING = new Asker(CITY, "stadtmarketing", AskerRole.OPERATOR);

    static RoleRules laplace(String epsilon, int k, String day, String month, boolean sameAnswerWithinVersion) {
        return new RoleRules(Mechanism.DISCRETE_LAPLACE, new BigDecimal(epsilon), BigDecimal.ZERO, k,
                new BigDecimal(day), new BigDecimal(month), new DisplayRule(3, Locale.GERMANY), sameAnswerWithinVersion);
    }

    static PrivacyPolicy policy(RoleRules participant, RoleRules operator) {
        return PrivacyPolicy.of(new CityPolicy(CITY, PrivacyDefaults.TIME_ZONE,
                Map.of(AskerRole.PARTICIPANT, participant, AskerRole.OPERATOR, operator)));
    }

    static PrivacyPolicy policy(RoleRules both) {
        return policy(both, both);
    }
}
