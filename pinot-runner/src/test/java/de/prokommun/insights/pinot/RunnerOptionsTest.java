package de.prokommun.insights.pinot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerOptionsTest {

    private static List<String> complete() {
        return new ArrayList<>(List.of("--data-dir=/tmp/p", "--zk-port=2101", "--controller-port=2102",
                "--broker-port=2103", "--server-netty-port=2104", "--server-admin-port=2105",
                "--server-grpc-port=2106", "--kafka-bootstrap=127.0.0.1:9999", "--config-dir=/repo/pinot",
                "--table=profiles=test.profiles"));
    }

    private static RunnerOptions parse(List<String> args) {
        return RunnerOptions.parse(args.toArray(String[]::new));
    }

    @Test
    void parsesEveryPortAndTheTopicOfEachTable() {
        List<String> args = complete();
        args.add("--table=other=test.other");
        args.add("--parent-pid=42");
        RunnerOptions o = parse(args);
        assertThat(o.zookeeperPort()).isEqualTo(2101);
        assertThat(o.controllerPort()).isEqualTo(2102);
        assertThat(o.brokerPort()).isEqualTo(2103);
        assertThat(o.serverNettyPort()).isEqualTo(2104);
        assertThat(o.serverAdminPort()).isEqualTo(2105);
        assertThat(o.serverGrpcPort()).isEqualTo(2106);
        assertThat(o.kafkaBootstrap()).isEqualTo("127.0.0.1:9999");
        assertThat(o.topicByTable()).isEqualTo(Map.of("profiles", "test.profiles", "other", "test.other"));
        assertThat(o.parentPid()).hasValue(42);
        assertThat(PinotMain.readyLine(o)).isEqualTo("PINOT READY controller=127.0.0.1:2102 broker=127.0.0.1:2103");
        assertThat(o.host()).as("loopback unless told otherwise").isEqualTo("127.0.0.1");
    }

    @Test
    void everyListenerBindsTheGivenHostButNeverTheWildcardAddress() {
        List<String> args = complete();
        args.add("--host=10.1.2.3");
        RunnerOptions o = parse(args);
        assertThat(o.host()).isEqualTo("10.1.2.3");
        assertThat(PinotMain.readyLine(o)).isEqualTo("PINOT READY controller=10.1.2.3:2102 broker=10.1.2.3:2103");
        for (String wildcard : List.of("0.0.0.0", "::", "*")) {
            List<String> open = complete();
            open.add("--host=" + wildcard);
            assertThatThrownBy(() -> parse(open)).hasMessageContaining("--host").hasMessageContaining("wildcard");
        }
    }

    @Test
    void thePurgeIntervalAndTheUpsertFlushTimeAreOptionalIsoDurations() {
        RunnerOptions without = parse(complete());
        assertThat(without.purgeInterval()).isEmpty();
        assertThat(without.upsertFlushTime()).isEmpty();
        List<String> args = complete();
        args.add("--purge-interval=PT1H");
        args.add("--upsert-flush-time=PT20S");
        args.add("--upsert-flush-rows=200");
        RunnerOptions with = parse(args);
        assertThat(with.upsertFlushRows()).hasValue(200);
        assertThat(with.purgeInterval()).hasValue(java.time.Duration.ofHours(1));
        assertThat(with.upsertFlushTime()).hasValue(java.time.Duration.ofSeconds(20));
        List<String> bad = complete();
        bad.add("--purge-interval=1h");
        assertThatThrownBy(() -> parse(bad)).hasMessageContaining("--purge-interval").hasMessageContaining("ISO-8601");
        List<String> zero = complete();
        zero.add("--upsert-flush-time=PT0S");
        assertThatThrownBy(() -> parse(zero)).hasMessageContaining("--upsert-flush-time").hasMessageContaining("at least one second");
    }

    @Test
    void thePurgePolicyIsOptionalAndWithoutItADeletionIsDueAtOnceAndOnlyWhatServesNothingIsCompacted() {
        UpsertPurge.Policy without = PinotMain.policy(parse(complete()));
        assertThat(without.maxDelay()).isZero();
        assertThat(without.minInvalidShare()).isEqualTo(1.0);
        List<String> args = complete();
        args.add("--purge-max-delay=PT6H");
        args.add("--purge-min-invalid-share=0.5");
        UpsertPurge.Policy with = PinotMain.policy(parse(args));
        assertThat(with.maxDelay()).isEqualTo(java.time.Duration.ofHours(6));
        assertThat(with.minInvalidShare()).isEqualTo(0.5);
        List<String> zero = complete();
        zero.add("--purge-max-delay=PT0S");
        assertThat(parse(zero).purgeMaxDelay()).hasValue(java.time.Duration.ZERO);
        for (String share : List.of("0", "1.2", "half")) {
            List<String> bad = complete();
            bad.add("--purge-min-invalid-share=" + share);
            assertThatThrownBy(() -> parse(bad)).hasMessageContaining("--purge-min-invalid-share");
        }
        List<String> negative = complete();
        negative.add("--purge-max-delay=-PT1H");
        assertThatThrownBy(() -> parse(negative)).hasMessageContaining("--purge-max-delay").hasMessageContaining("not negative");
    }

    @Test
    void rejectsAnEphemeralPortNamingTheArgument() {
        List<String> args = complete();
        args.replaceAll(a -> a.startsWith("--broker-port=") ? "--broker-port=0" : a);
        assertThatThrownBy(() -> parse(args)).hasMessageContaining("--broker-port").hasMessageContaining("1..65535");
    }

    @Test
    void rejectsAMissingArgumentNamingIt() {
        List<String> args = complete();
        args.removeIf(a -> a.startsWith("--server-grpc-port="));
        assertThatThrownBy(() -> parse(args)).hasMessageContaining("--server-grpc-port").hasMessageContaining("required");
    }

    @Test
    void rejectsUnknownAndMalformedArguments() {
        List<String> unknown = complete();
        unknown.add("--zk-prot=1");
        assertThatThrownBy(() -> parse(unknown)).hasMessageContaining("zk-prot");
        List<String> malformed = complete();
        malformed.add("--table=profiles");
        assertThatThrownBy(() -> parse(malformed)).hasMessageContaining("TABLE=TOPIC");
        List<String> notNumber = complete();
        notNumber.replaceAll(a -> a.startsWith("--zk-port=") ? "--zk-port=abc" : a);
        assertThatThrownBy(() -> parse(notNumber)).hasMessageContaining("--zk-port").hasMessageContaining("abc");
    }

    @Test
    void requiresAtLeastOneTable() {
        List<String> args = complete();
        args.removeIf(a -> a.startsWith("--table="));
        assertThatThrownBy(() -> parse(args)).hasMessageContaining("--table");
    }
}
