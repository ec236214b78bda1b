package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ProductGroupMapping;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The participants' mappings of their own product groups onto the city's categories, as broadcast state
 * (key "city/participant/productGroup", the key of the product-group-mappings topic → category), held by the
 * {@link ProductGroupCategoriser}. A mapping applies to purchases that pass the categoriser after it arrived;
 * history is not re-mapped.
 */
public final class ProductGroups {
    private ProductGroups() {}

    public static final MapStateDescriptor<String, String> DESCRIPTOR =
            new MapStateDescriptor<>("product-group-mappings", Types.STRING, Types.STRING);

    /** The category of a participant's product group, or null when it has none. */
    @FunctionalInterface
    public interface Lookup {
        String categoryOf(String city, String participant, String productGroup) throws Exception;
    }

    /**
     * The categories the categoriser resolved for this event's purchase. Every lookup of the profile operator is one
     * of the event's own lines (its city and participant), so only the product group is looked up.
     */
    public static Lookup categoriesOf(AnonymousEvent event) {
        Map<String, String> categories = event.getProductCategories();
        if (categories == null || categories.isEmpty()) return (city, participant, group) -> null;
        return (city, participant, group) -> categories.get(group);
    }

    public static String key(String city, String participant, String productGroup) {
        return city + "/" + participant + "/" + productGroup;
    }

    public static String keyOf(ProductGroupMapping m) {
        return key(m.getCity(), m.getParticipant(), m.getProductGroup());
    }

    /** Sets the mapping, or removes it when its category is null or blank. */
    public static void apply(BroadcastState<String, String> state, ProductGroupMapping m) throws Exception {
        String category = m.getCategory() == null ? "" : m.getCategory().trim();
        if (category.isEmpty()) state.remove(keyOf(m));
        else state.put(keyOf(m), category);
    }
}
