package de.prokommun.insights.flink.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.flink.ledger.LedgerRowSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class FieldsTest {

    @Test
    void everyStringComesBackExactlyAndLatin1TextTakesOneBytePerCharacter() throws IOException {
        String[] samples = {null, "", "a", "Müller", "ÿ\u0000\n", "category:lebensmittel.backwaren:2025", "€", "中文",
                "\ud83d", "😀", "ä".repeat(300)};
        for (String s : samples) {
            byte[] bytes = bytesOf(s);
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            assertThat(Fields.readString(in)).isEqualTo(s);
            assertThat(in.available()).isZero();
        }
        assertThat(bytesOf("Müller")).hasSize(1 + 6);
        assertThat(bytesOf("ä".repeat(300))).as("a 2-byte header and one byte per character").hasSize(2 + 300);
        assertThat(bytesOf(null)).hasSize(1);
    }

    @Test
    void aStringBeyondLatin1CostsOneByteMoreThanFlinksEncoding() throws IOException {
        for (String s : new String[] {"€", "Grüße – 中文", "\ud83d"}) {
            DataOutputSerializer flink = new DataOutputSerializer(16);
            StringValue.writeString(s, flink);
            assertThat(bytesOf(s)).hasSize(flink.length() + 1);
        }
    }

    @Test
    void stateWrittenInTheFormerStringEncodingIsRefusedNotMisread() throws IOException {
        DataOutputSerializer former = new DataOutputSerializer(8);
        former.writeInt(1); // snapshot version 1 held the format only (LedgerRowSerializer is in format 1)
        LedgerRowSerializer.Snapshot old = new LedgerRowSerializer.Snapshot();
        old.readSnapshot(1, new DataInputDeserializer(former.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(new LedgerRowSerializer.Snapshot().resolveSchemaCompatibility(old).isIncompatible()).isTrue();
        assertThatThrownBy(old::restoreSerializer).hasMessageContaining("string encoding 1")
                .hasMessageContaining("--fresh");
    }

    private static byte[] bytesOf(String s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        Fields.writeString(s, out);
        return out.getCopyOfBuffer();
    }
}
