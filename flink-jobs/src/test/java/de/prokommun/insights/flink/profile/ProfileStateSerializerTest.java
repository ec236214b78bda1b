package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.serialize.SerializerChecks.assertRoundTrip;
import static de.prokommun.insights.flink.serialize.SerializerChecks.bytesOf;
import static de.prokommun.insights.flink.serialize.SerializerChecks.pojoSerializer;
import static de.prokommun.insights.flink.serialize.SerializerChecks.randomInstance;
import static de.prokommun.insights.flink.serialize.SerializerChecks.restoredCompatibility;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.flink.ledger.PurchaseTags;
import de.prokommun.insights.flink.serialize.SerializerChecks;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ProfileStateSerializerTest {

    private static final SerializerChecks.Filler NESTED = (type, random) ->
            type == PurchaseTags.class ? randomInstance(PurchaseTags.class, random, (t, r) -> null) : null;

    @Test
    void randomProfilesSurviveTheRoundTripFieldByField() throws Exception {
        Random random = new Random(12);
        for (int i = 0; i < 5_000; i++) {
            assertRoundTrip(ProfileStateSerializer.INSTANCE, randomInstance(ProfileState.class, random, NESTED));
        }
    }

    @Test
    void nullsEmptyArraysAndAFreshProfileSurvive() throws Exception {
        ProfileState fresh = new ProfileState();
        assertRoundTrip(ProfileStateSerializer.INSTANCE, fresh);
        ProfileState nulls = new ProfileState();
        nulls.purchases = null;
        nulls.activitySignals = null;
        nulls.activityDays = new int[][] {null, {}, {Integer.MIN_VALUE, Integer.MAX_VALUE}};
        nulls.interests = new String[] {null, ""};
        assertRoundTrip(ProfileStateSerializer.INSTANCE, nulls);
        assertRoundTrip(ProfileStateSerializer.INSTANCE, null);
        assertThat(ProfileStateSerializer.INSTANCE.copy((ProfileState) null)).isNull();
    }

    @Test
    void aProfileTakesNoMoreBytesThanWithThePojoSerializer() throws Exception {
        TypeSerializer<ProfileState> pojo = pojoSerializer(ProfileState.class);
        Random random = new de.prokommun.insights.flink.serialize.SerializerChecks.Latin1Text(7);
        for (int i = 0; i < 2_000; i++) {
            ProfileState p = randomInstance(ProfileState.class, random, NESTED);
            assertThat(bytesOf(ProfileStateSerializer.INSTANCE, p).length).as("profile #%d", i)
                    .isLessThanOrEqualTo(bytesOf(pojo, p).length);
        }
    }

    @Test
    void aRestoredSnapshotIsCompatibleAsIs() throws Exception {
        assertThat(restoredCompatibility(ProfileStateSerializer.INSTANCE).isCompatibleAsIs()).isTrue();
    }

    @Test
    void aSnapshotOfAnotherFormatIsIncompatibleAndNamesIt() throws Exception {
        DataOutputSerializer format = new DataOutputSerializer(8);
        format.writeInt(ProfileStateSerializer.FORMAT + 1);
        format.writeInt(de.prokommun.insights.flink.serialize.Fields.STRING_ENCODING);
        ProfileStateSerializer.Snapshot other = new ProfileStateSerializer.Snapshot();
        other.readSnapshot(other.getCurrentVersion(), new DataInputDeserializer(format.getCopyOfBuffer()),
                getClass().getClassLoader());
        assertThat(new ProfileStateSerializer.Snapshot().resolveSchemaCompatibility(other).isIncompatible()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(other::restoreSerializer)
                .hasMessageContaining("format " + (ProfileStateSerializer.FORMAT + 1));
    }

    /** Issue 18: a profile written before the offer objections (format 1) is read with none and written anew. */
    @Test
    void aProfileOfFormatOneMigratesWithoutObjections() throws Exception {
        ProfileState p = randomInstance(ProfileState.class, new Random(3), NESTED);
        p.offerObjections = new String[] {"all"};
        DataOutputSerializer out = new DataOutputSerializer(256);
        ProfileStateSerializer.FormatOne.INSTANCE.serialize(p, out);
        ProfileState read = ProfileStateSerializer.FormatOne.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read.offerObjections).isEmpty();
        assertThat(read).usingRecursiveComparison().ignoringFields("offerObjections").isEqualTo(p);

        DataOutputSerializer format = new DataOutputSerializer(8);
        format.writeInt(1);
        format.writeInt(de.prokommun.insights.flink.serialize.Fields.STRING_ENCODING);
        ProfileStateSerializer.Snapshot old = new ProfileStateSerializer.Snapshot();
        old.readSnapshot(old.getCurrentVersion(), new DataInputDeserializer(format.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(new ProfileStateSerializer.Snapshot().resolveSchemaCompatibility(old).isCompatibleAfterMigration()).isTrue();
        assertThat(old.restoreSerializer()).isSameAs(ProfileStateSerializer.FormatOne.INSTANCE);
    }
}
