package de.prokommun.insights.contract;

import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** The Avro data models the codecs read and write records with. */
final class Models {
    private Models() {}

    /**
     * A model of the record's class loader that lets generated records encode and decode themselves ({@code
     * customEncode}/{@code customDecode}, the same bytes) instead of Avro's generic walk over the schema with a field
     * lookup per value. Avro leaves this off by default; it is switched on for the codecs' own model only, never on the
     * class's shared one. Records whose schema the generator cannot code this way (unions of records such as an
     * event's payload) are walked generically, their nested records still code themselves. The schemas have no
     * logical types, so the model needs no conversions.
     */
    static SpecificData withGeneratedCoders(Class<? extends SpecificRecord> type) {
        SpecificData model = new SpecificData(type.getClassLoader());
        model.setCustomCoders(true);
        return model;
    }
}
