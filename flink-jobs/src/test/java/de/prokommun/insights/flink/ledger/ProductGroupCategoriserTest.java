package de.prokommun.insights.flink.ledger;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.flink.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProductGroupCategoriserTest {
    private static final String BAKERY = "baeckerei";
    private static final String BUTCHER = "metzgerei";
    private static final String BREAD = "lebensmittel.backwaren";

    private BroadcastOperatorTestHarness<AnonymousEvent, ProductGroupMapping, AnonymousEvent> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new ProductGroupCategoriser(), ProductGroups.DESCRIPTOR);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void aPurchaseCarriesTheCategoriesOfItsParticipantsMappedGroupsOnly() throws Exception {
        h.processBroadcastElement(new ProductGroupMapping(Fixtures.CITY, BAKERY, "brot", BREAD, 1L), 1L);
        h.processBroadcastElement(new ProductGroupMapping(Fixtures.CITY, BUTCHER, "torte", "lebensmittel.fleisch", 1L), 1L);

        AnonymousEvent out = categorised(purchase(BAKERY, "brot", "torte", "brot"));

        assertThat(out.getProductCategories()).as("the butcher's mapping of 'torte' is not the bakery's")
                .containsExactly(Map.entry("brot", BREAD));
    }

    @Test
    void aRemovedMappingNoLongerAppliesAndWhatAnEventCarriedBeforeIsReplaced() throws Exception {
        h.processBroadcastElement(new ProductGroupMapping(Fixtures.CITY, BAKERY, "brot", BREAD, 1L), 1L);
        h.processBroadcastElement(new ProductGroupMapping(Fixtures.CITY, BAKERY, "brot", null, 2L), 2L);
        AnonymousEvent forged = purchase(BAKERY, "brot");
        forged.setProductCategories(Map.of("brot", "luxus.schmuck"));

        assertThat(categorised(forged).getProductCategories()).isEmpty();
    }

    @Test
    void otherEventsPassWithoutCategories() throws Exception {
        AnonymousEvent e = anonymous("p", "e-2", at(2026, 3, 2), new NewsletterSubscribed("stadtnews"));
        e.setProductCategories(Map.of("x", "y"));

        AnonymousEvent out = categorised(e);

        assertThat(out.getProductCategories()).isNull();
        assertThat(out.getPayload()).isEqualTo(new NewsletterSubscribed("stadtnews"));
    }

    @Test
    void theLookupTheProfileOperatorUsesReadsTheCarriedCategories() throws Exception {
        h.processBroadcastElement(new ProductGroupMapping(Fixtures.CITY, BAKERY, "brot", BREAD, 1L), 1L);
        ProductGroups.Lookup lookup = ProductGroups.categoriesOf(categorised(purchase(BAKERY, "brot", "torte")));

        assertThat(lookup.categoryOf(Fixtures.CITY, BAKERY, "brot")).isEqualTo(BREAD);
        assertThat(lookup.categoryOf(Fixtures.CITY, BAKERY, "torte")).isNull();
        assertThat(ProductGroups.categoriesOf(purchase(BAKERY, "brot")).categoryOf(Fixtures.CITY, BAKERY, "brot"))
                .as("an event that never passed the categoriser").isNull();
    }

    private AnonymousEvent categorised(AnonymousEvent e) throws Exception {
        int before = h.extractOutputValues().size();
        h.processElement(e, e.getEventTime());
        List<AnonymousEvent> out = h.extractOutputValues();
        assertThat(out).hasSize(before + 1);
        return out.get(before);
    }

    private static AnonymousEvent purchase(String participant, String... groups) {
        List<PurchaseLine> lines = Arrays.stream(groups).map(g -> new PurchaseLine(g, 1, 100L)).toList();
        AnonymousEvent e = anonymous("p-1", "e-1", at(2026, 3, 2), new Purchase("R-1", lines, List.of()));
        e.setParticipant(participant);
        return e;
    }
}
