package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.query.QueryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A merchant works a day in the dashboard with the city-wide cap enforced: hundreds of filter changes in the
 * audience builder, then the page left open with every widget refreshing live. Every audience the published
 * statistics can answer is answered from them — free, never "Budget aufgebraucht" — although the merchant's own
 * day budget (3 questions at ε 1 in this test's policy) would not carry even four ad-hoc questions. The budget tile
 * shows the city-wide cap and the account's ad-hoc share. The live phase lasts {@code merchantDay.liveMinutes}
 * (2 in the test suite; {@code -DmerchantDay.liveMinutes=10} for the full form of the acceptance test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MerchantWorkingDayBrowserIT {

    private static final String CITY = "musterstadt";
    private static final String SHOP = "baeckerei";
    private static final String[] POSTCODES = {"45468", "45470", "45472", "45481"};
    private static final String[] HOUSEHOLDS = {"FAMILY", "COUPLE", "SINGLE", "SINGLE_PARENT", "SHARED"};
    private static final String[] GENDERS = {"FEMALE", "MALE", "DIVERSE"};
    private static final int RESIDENTS = 300;
    private static final int FILTER_CHANGES = 200;
    /** A category nobody sells in this test city: published (zeros), not withheld by the dominance rule. */
    private static final String NEW_CATEGORY = "lebensmittel.feinkost-bio";

    @TempDir
    static Path dir;

    private BehaviourTestSupport.StartedSystem started;
    private BehaviourTestSupport support;
    private WebDriver browser;

    @BeforeAll
    void startTheCityWithACapThatIsEnforced() throws Exception {
        started = BehaviourTestSupport.startSystem(dir, CITY, "merchant-day-test-secret-of-musterstadt",
                BehaviourTestSupport.portalMerchantOperator(), 3, Map.of(
                        QueryConfig.PUBLICATION_ENABLED.name(), "true",
                        QueryConfig.PUBLICATION_CHECK_INTERVAL.name(), "PT5S",
                        // the residents registered 20 days ago and have been quiet since: current enough to publish
                        QueryConfig.PUBLICATION_CURRENT_WITHIN.name(), "P30D"));
        support = new BehaviourTestSupport(started.system());
        List<ObjectNode> registrations = new ArrayList<>();
        for (int i = 0; i < RESIDENTS; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("birthDate", (1940 + i % 65) + "-03-1" + (i % 9));
            data.put("gender", GENDERS[i % 7 == 0 ? 2 : i % 2]);
            data.put("postcode", POSTCODES[i % POSTCODES.length]);
            data.put("householdType", HOUSEHOLDS[(i / 4) % HOUSEHOLDS.length]);
            data.put("interests", List.of());
            data.put("consents", Map.of("analytics", true, "offers", i % 3 == 0, "newsletter", false));
            registrations.add(BehaviourTestSupport.event("reg-" + i, "resident.registered",
                    Instant.now().minus(Duration.ofDays(20)).toString(), "R-" + i, null, data));
        }
        support.postEvents(started.keys().get("portal"), registrations);
        // A third of the residents are the bakery's customers (bread rolls, 19 days ago): the purchase statistics
        // are published only once the window holds buyers or customers.
        support.putMapping(started.keys().get(SHOP), Map.of("Brötchen", "lebensmittel.backwaren"));
        List<ObjectNode> cards = new ArrayList<>();
        List<ObjectNode> purchases = new ArrayList<>();
        Instant bought = Instant.now().minus(Duration.ofDays(19));
        for (int i = 0; i < RESIDENTS; i += 3) {
            cards.add(BehaviourTestSupport.event("card-" + i, "card.linked", Instant.now().minus(Duration.ofDays(20))
                    .plusSeconds(60).toString(), "R-" + i, null, Map.of("card", "C-" + i)));
            purchases.add(BehaviourTestSupport.event("buy-" + i, "purchase", bought.plusSeconds(i).toString(), null,
                    "C-" + i, Map.of("receipt", "B-" + i, "lines", List.of(Map.of("productGroup", "Brötchen",
                            "quantity", 2, "amountCents", 380)))));
        }
        support.postEvents(started.keys().get("portal"), cards);
        Thread.sleep(3000); // the ledger learns the mapping and the cards before the first purchase arrives
        support.postEvents(started.keys().get(SHOP), purchases);
        awaitThePublicationAnswers();
        awaitThePurchaseStatistics();
        browser = HeadlessChromium.start(dir, 1366, 1800);
    }

    @AfterAll
    void stopEverything() {
        if (browser != null) {
            browser.manage().logs().get("browser").forEach(e -> System.out.println("[chromium] " + e));
            browser.quit();
        }
        if (started != null) started.system().close();
    }

    @Test
    void aMerchantChangesTheFilterAllDayAndPublishedFiguresStayFreeAndAnswered() throws Exception {
        browser.get(started.system().queryUrl() + "/");
        wait(10).until(d -> d.findElement(By.id("api-key")).isDisplayed());
        browser.findElement(By.id("api-key")).sendKeys(started.keys().get(SHOP));
        browser.findElement(By.id("login-submit")).click();
        wait(20).until(d -> d.getCurrentUrl().endsWith("merchant.html"));
        WebElement count = browser.findElement(By.id("audience-count"));
        wait(30).until(d -> "publication".equals(count.getDomAttribute("data-source")));

        Random random = new Random(20261204L);
        List<String> dimensions = List.of("genders", "districts", "householdTypes", "personas");
        int published = 0;
        for (int change = 1; change <= FILTER_CHANGES; change++) {
            String before = String.valueOf(count.getDomAttribute("data-question"));
            String rendersBefore = String.valueOf(count.getDomAttribute("data-renders"));
            if (change % 25 == 0) {
                browser.findElement(By.cssSelector("#filters button[type=reset]")).click();
            } else {
                String dimension = dimensions.get(random.nextInt(dimensions.size()));
                List<WebElement> boxes = browser.findElements(By.cssSelector("input[name=" + dimension + "]"));
                WebElement box = boxes.get(random.nextInt(boxes.size()));
                // at most one persona: a person may hold several, so two are not a sum of published cells
                if (dimension.equals("personas") && !box.isSelected()) uncheckAll(boxes);
                box.click();
            }
            String what = "change " + change + " (filter was " + before + ")";
            Thread.sleep(350); // the page waits 300 ms for further changes before it asks
            wait(30).until(d -> !String.valueOf(count.getDomAttribute("data-renders")).equals(rendersBefore)
                    && !count.getText().equals("wird geladen …"));
            assertThat(count.getText()).as(what).isNotEqualTo("Budget aufgebraucht").isNotEqualTo("Fehler");
            assertThat(count.getDomAttribute("data-source")).as(what + ": " + text("audience-note")).isEqualTo("publication");
            assertThat(text("audience-note")).as(what).contains("Aus der Stadtstatistik");
            published++;
        }
        assertThat(published).isEqualTo(FILTER_CHANGES);
        assertBudgetTileShowsTheCityCap();
        assertTheOtherWidgetsAreReadFromThePublication();

        // the page stays open: every live widget refreshes with each data version
        long liveMinutes = Long.getLong("merchantDay.liveMinutes", 2);
        Instant until = Instant.now().plus(Duration.ofMinutes(liveMinutes));
        long rendersBefore = Long.parseLong(count.getDomAttribute("data-renders"));
        while (Instant.now().isBefore(until)) {
            Thread.sleep(5000);
            assertThat(count.getText()).as("live, " + text("audience-version")).isNotEqualTo("Budget aufgebraucht");
            assertThat(count.getDomAttribute("data-source")).isEqualTo("publication");
        }
        // a published answer keeps its publication's data version; the live stream still pushes it with each version
        assertThat(Long.parseLong(count.getDomAttribute("data-renders"))).as("the audience widget refreshed live")
                .isGreaterThan(rendersBefore + 10);
        assertBudgetTileShowsTheCityCap();
        assertThat(text("mix-source")).as("Meine Kundschaft after the live phase").doesNotContain("aufgebraucht");
        assertThat(browser.findElement(By.id("mix-source")).getDomAttribute("data-source")).isEqualTo("publication");
        assertNothingWasPaidAdHoc();
        HeadlessChromium.screenshot(browser, "merchant-working-day");
    }

    /**
     * The persona mix ("Meine Kundschaft": the shop's own customers of the last complete month), the assortment
     * check and the product history come from the publication too: free, no refusal, and the page says from which
     * month and publication.
     */
    private void assertTheOtherWidgetsAreReadFromThePublication() {
        WebElement mixSource = browser.findElement(By.id("mix-source"));
        wait(60).until(d -> "publication".equals(mixSource.getDomAttribute("data-source")));
        assertThat(text("mix-source")).as("Meine Kundschaft names month and publication")
                .contains("letzter voller Monat").contains("Stadtstatistik vom").doesNotContain("aufgebraucht");
        String month = mixSource.getDomAttribute("data-month");
        assertThat(month).as("the last complete month").isEqualTo(java.time.YearMonth.now(java.time.ZoneId.of("Europe/Berlin"))
                .minusMonths(1).toString());
        assertThat(text("mix-table")).doesNotContain("Budget aufgebraucht");

        // Bread rolls have a single seller in this test city (the bakery): the dominance rule withholds them for
        // everybody, so the bakery asks about a kind of product it does not sell yet (no sales: nothing to hide).
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("assortment-category")))
                .selectByValue(NEW_CATEGORY);
        browser.findElement(By.cssSelector("#assortment-form button")).click();
        WebElement result = browser.findElement(By.id("assortment-result"));
        wait(60).until(d -> result.getDomAttribute("data-source") != null || !text("assortment-error").isEmpty());
        assertThat(text("assortment-error")).as("the assortment check").isEmpty();
        assertThat(result.getDomAttribute("data-source")).isEqualTo("publication");
        assertThat(text("assortment-source")).contains("Aus der Stadtstatistik vom");
        assertThat(browser.findElements(By.cssSelector("#assortment-interested tbody tr"))).hasSize(3);

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("history-category"))).selectByValue(NEW_CATEGORY);
        browser.findElement(By.cssSelector("#history-form button")).click();
        WebElement history = browser.findElement(By.id("history-table"));
        wait(60).until(d -> history.getDomAttribute("data-version") != null || !text("history-error").isEmpty());
        assertThat(text("history-error")).as("the product history").isEmpty();
        assertThat(history.getDomAttribute("data-version")).as("the publication's id").endsWith("/purchases");
        assertNothingWasPaidAdHoc();
    }

    /** The account's part of the city's ad-hoc share is untouched: the dashboard spent nothing on its own. */
    private void assertNothingWasPaidAdHoc() {
        try {
            BehaviourTestSupport.Answer a = support.send("GET", started.system().queryUrl() + "/api/v1/privacy/budget",
                    started.keys().get(SHOP), null, null);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().path("city").path("account").path("spentRho").asDouble(-1)).as(a.json().toString()).isZero();
        } catch (Exception e) {
            throw new AssertionError("budget not readable", e);
        }
    }

    private void assertBudgetTileShowsTheCityCap() {
        wait(30).until(d -> !d.findElements(By.id("budget-city-cap")).isEmpty());
        assertThat(text("budget-city-cap")).as("the city-wide cap per resident and month").isEqualTo("4 ε");
        assertThat(text("budget-adhoc-left")).as("the account's part of the ad-hoc share").endsWith("%");
        assertThat(text("budget-note")).as("the day budget tile").doesNotContain("aufgebraucht");
    }

    private void uncheckAll(List<WebElement> boxes) {
        for (WebElement b : boxes) {
            if (b.isSelected()) b.click();
        }
    }

    private void awaitThePublicationAnswers() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            BehaviourTestSupport.Answer a = support.send("POST", started.system().queryUrl() + "/api/v1/audiences/size",
                    started.keys().get(SHOP), "application/json", "{\"filter\":{}}");
            if (a.status() == 200) {
                last = a.json();
                if (last.path("source").path("kind").asText().equals("publication")) return;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("no publication answered within 4 minutes: " + last);
    }

    /** The purchase statistics follow the audience cube as soon as the window holds customers. */
    private void awaitThePurchaseStatistics() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        BehaviourTestSupport.Answer a = null;
        while (Instant.now().isBefore(deadline)) {
            a = support.send("POST", started.system().queryUrl() + "/api/v1/insights/customers",
                    started.keys().get(SHOP), "application/json", "{}");
            // before the publication the question is ad hoc: refused by the cap (429), nothing paid
            if (a.status() == 200 && a.json().path("source").path("kind").asText().equals("publication")) return;
            Thread.sleep(2000);
        }
        throw new AssertionError("no purchase statistics within 4 minutes: " + (a == null ? null : a.status() + " " + a.body()));
    }

    /** The element's text; live widgets replace their elements, so a lookup may find a node just being replaced. */
    private String text(String id) {
        return wait(10).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id(id)).getText().strip());
    }

    private WebDriverWait wait(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }
}
