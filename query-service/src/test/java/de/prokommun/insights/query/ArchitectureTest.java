package de.prokommun.insights.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetExhaustedException;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.query.audience.AudienceAnswer;
import de.prokommun.insights.query.audience.AudienceRequest;
import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityNotConfiguredException;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.CountsUnavailableException;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.insights.ContributionSource;
import de.prokommun.insights.query.insights.InsightAnswer;
import de.prokommun.insights.query.insights.InsightsRequests;
import de.prokommun.insights.query.insights.InsightsService;
import de.prokommun.insights.query.journey.JourneyRequests;
import de.prokommun.insights.query.journey.JourneyService;
import de.prokommun.insights.query.audience.InvalidRequestException;
import de.prokommun.insights.query.audience.TrueCountSource;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every figure leaves the query service only as a value released by {@link DisclosureControl}, and no
 * endpoint can reach Pinot, the true counts, rows or pseudonyms. These rules fail as soon as someone adds
 * a handler or service method that returns raw Pinot results.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("de.prokommun.insights.query");

    /** What the HTTP layer may use of the audience package: the service, its released answer, validation. */
    private static final Set<Class<?>> AUDIENCE_SURFACE = Set.of(AudienceService.class, AudienceAnswer.class,
            AudienceRequest.class, Breakdown.class, CityVocabulary.class,
            InvalidRequestException.class, CountsUnavailableException.class, CityNotConfiguredException.class,
            ForbiddenFieldException.class, de.prokommun.insights.query.audience.AnswerSource.class,
            CityVocabulary.AgeBandRange.class,
            // the city's display names (configuration, no figures: issue 16)
            de.prokommun.insights.query.audience.CityLabels.class, de.prokommun.insights.query.audience.CityLabels.Label.class);

    /** What the HTTP layer may use of the insights package: the service, its released answers, the requests. */
    private static final Set<Class<?>> INSIGHTS_SURFACE = Set.of(InsightsService.class, InsightAnswer.class,
            InsightAnswer.Table.class, InsightAnswer.Row.class, InsightsRequests.Affinity.class,
            InsightsRequests.History.class, InsightsRequests.Assortment.class, InsightsRequests.Trend.class);

    /** The one reader of true journey figures (package-private, so named). */
    private static final String JOURNEY_DATA = "de.prokommun.insights.query.journey.JourneyData";

    /** The privacy types the HTTP layer may see: released values, the budget, who asks. */
    private static final Set<Class<?>> PRIVACY_SURFACE = Set.of(Release.class, ReleasedCell.class, BudgetStatus.class,
            BudgetExhaustedException.class, BudgetExhaustedException.Period.class, BudgetExhaustedException.Scope.class,
            Asker.class, AskerRole.class,
            de.prokommun.insights.privacy.city.CityBudgetStatus.class);

    @Test
    void onlyThePinotPackageUsesThePinotClient() {
        noClasses().that().resideOutsideOfPackage("..query.pinot..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.pinot..")
                .check(CLASSES);
    }

    @Test
    void neitherTheApiNorTheAudienceLogicDependsOnThePinotPackage() {
        noClasses().that().resideInAnyPackage("..query.api..", "..query.audience..", "..query.insights..",
                        "..query.journey..", "..query.publication..")
                .should().dependOnClassesThat().resideInAPackage("..query.pinot..")
                .check(CLASSES);
    }

    @Test
    void theApiSeesOnlyReleasedValuesNeverTrueCountsRowsOrPseudonyms() {
        classes().that().resideInAPackage("..query.api..")
                .should().onlyDependOnClassesThat(allowedForApi())
                .because("handlers get figures only as Release/ReleasedCell from the audience service")
                .check(CLASSES);
    }

    @Test
    void theServiceOffersTheApiOnlyReleasedAnswers() {
        methods().that().areDeclaredIn(AudienceService.class).and().arePublic()
                .should().haveRawReturnType(DescribedPredicate.describe("a released answer, the budget, a validated"
                        + " request or the vocabulary", (JavaClass t) -> Set.of(AudienceAnswer.class.getName(),
                        BudgetStatus.class.getName(), AudienceRequest.class.getName(),
                        CityVocabulary.class.getName()).contains(t.getName())))
                .check(CLASSES);
    }

    @Test
    void theInsightsServiceOffersTheApiOnlyReleasedAnswersAndValidatedRequests() {
        methods().that().areDeclaredIn(InsightsService.class).and().arePublic()
                .should().haveRawReturnType(DescribedPredicate.describe("a released insight or a validated request",
                        (JavaClass t) -> t.isEquivalentTo(InsightAnswer.class)
                                || t.getName().startsWith(InsightsRequests.class.getName() + "$")))
                .check(CLASSES);
    }

    @Test
    void theJourneyServiceOffersTheApiOnlyReleasedAnswersAndValidatedRequests() {
        methods().that().areDeclaredIn(JourneyService.class).and().arePublic()
                .should().haveRawReturnType(DescribedPredicate.describe("a released insight or a validated journey request",
                        (JavaClass t) -> t.isEquivalentTo(InsightAnswer.class)
                                || t.getName().startsWith(JourneyRequests.class.getName() + "$")))
                .check(CLASSES);
    }

    @Test
    void journeyValuesAreDerivedFromReleasedCellsOnly() {
        methods().that().areDeclaredIn("de.prokommun.insights.query.journey.JourneyDerived")
                .and().doNotHaveModifier(com.tngtech.archunit.core.domain.JavaModifier.SYNTHETIC)
                .should(takeOnlyParameters(Set.of(ReleasedCell.class, Double.class, double.class, List.class)))
                .because("a rate or lift computed from a true figure would bypass the noise")
                .check(CLASSES);
    }

    @Test
    void anInsightHoldsNothingButReleasedCellsTextAndValuesDerivedFromThem() {
        fields().that().areDeclaredIn(InsightAnswer.class).or().areDeclaredIn(InsightAnswer.Table.class)
                .or().areDeclaredIn(InsightAnswer.Row.class)
                .should(haveOnlyTypes(Set.of(String.class, List.class, Map.class, Release.class, ReleasedCell.class,
                        InsightAnswer.Table.class, InsightAnswer.Row.class, Double.class,
                        de.prokommun.insights.query.audience.AnswerSource.class)))
                .check(CLASSES);
    }

    @Test
    void derivedValuesAreComputedFromReleasedCellsOnly() {
        methods().that().areDeclaredIn("de.prokommun.insights.query.insights.Derived")
                .and().doNotHaveModifier(com.tngtech.archunit.core.domain.JavaModifier.SYNTHETIC)
                .should(takeOnlyParameters(Set.of(ReleasedCell.class, Double.class, double.class)))
                .because("a lift or share computed from a true figure would bypass the noise")
                .check(CLASSES);
    }

    @Test
    void insightsReleaseThroughDisclosureControlAndOnlyTheirPlanCallsIt() {
        // All figures of one answer in one call: charged together or refused before anything is charged.
        classes().that().haveFullyQualifiedName("de.prokommun.insights.query.insights.ReleasePlan")
                .should().callMethod(DisclosureControl.class, "releaseAll", Asker.class, String.class, List.class)
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("..query.insights..", "..query.journey..", "..query.audience..")
                .should().callMethod(DisclosureControl.class, "releaseSums", Asker.class,
                        de.prokommun.insights.privacy.Question.class, String.class, List.class, long.class)
                .orShould().callMethod(DisclosureControl.class, "releaseCounts", Asker.class,
                        de.prokommun.insights.privacy.Question.class, String.class, List.class)
                .because("a release made on its own would be charged even if the rest of its answer is then refused")
                .check(CLASSES);
        noClasses().that().resideOutsideOfPackages("..query.insights..", "..query.journey..")
                .should().dependOnClassesThat().haveFullyQualifiedName("de.prokommun.insights.query.insights.ReleasePlan")
                .check(CLASSES);
        // CategorySellers reads the sellers' sales only to decide the dominance rule; no figure of it is released
        // (its refusal names the category, the period and the rule, never a seller or a sum).
        noClasses().that().doNotHaveFullyQualifiedName(InsightsService.class.getName())
                .and().doNotHaveFullyQualifiedName(JOURNEY_DATA)
                .and().doNotHaveFullyQualifiedName("de.prokommun.insights.query.insights.CategorySellers")
                .should().callMethodWhere(DescribedPredicate.describe("a sum query of a ContributionSource",
                        call -> call.getTargetOwner().isAssignableTo(ContributionSource.class)
                                && call.getName().equals("sums")))
                .check(CLASSES);
    }

    @Test
    void anAnswerHoldsNothingButReleasesAndText() {
        fields().that().areDeclaredIn(AudienceAnswer.class)
                .should(haveTypeReleaseStringOrListOfRelease())
                .check(CLASSES);
    }

    @Test
    void onlyTheAudienceAndInsightsServicesReadTrueCounts() {
        noClasses().that().doNotHaveFullyQualifiedName(AudienceService.class.getName())
                .and().doNotHaveFullyQualifiedName(InsightsService.class.getName())
                .and().doNotHaveFullyQualifiedName(JOURNEY_DATA)
                .should().callMethodWhere(DescribedPredicate.describe("a count query of a TrueCountSource",
                        call -> call.getTargetOwner().isAssignableTo(TrueCountSource.class)
                                && Set.of("count", "countsPerValue").contains(call.getName())))
                .check(CLASSES);
    }

    @Test
    void onlyThePublicationsTrueCountersReadTheCubeCounts() {
        noClasses().that().doNotHaveFullyQualifiedName("de.prokommun.insights.query.publication.TrueCube")
                .and().doNotHaveFullyQualifiedName("de.prokommun.insights.query.publication.TruePurchases")
                .and().doNotHaveFullyQualifiedName("de.prokommun.insights.query.publication.TrueJourney")
                .should().callMethodWhere(DescribedPredicate.describe("a count query of a CubeSource",
                        call -> call.getTargetOwner().isAssignableTo(
                                de.prokommun.insights.query.publication.CubeSource.class)
                                && call.getName().equals("countsPerGroup")))
                .because("true cube counts must be noised by the publisher before anything keeps or shows them")
                .check(CLASSES);
    }

    @Test
    void theAudienceServiceReleasesThroughDisclosureControl() {
        classes().that().haveFullyQualifiedName(AudienceService.class.getName())
                .should().callMethod(DisclosureControl.class, "releaseAll", Asker.class, String.class, List.class)
                .check(CLASSES);
    }

    @Test
    void nothingInTheQueryServiceFabricatesReleasedValues() {
        // The published statistics are a release too (noise drawn once per cell, paid once from the city's
        // publication share); their sums are post-processing and are shown as released cells.
        noClasses().that().doNotHaveFullyQualifiedName(
                        "de.prokommun.insights.query.publication.PublishedStatistics").should().callConstructorWhere(DescribedPredicate.describe("a constructor of Release or ReleasedCell",
                        call -> call.getTargetOwner().isEquivalentTo(Release.class)
                                || call.getTargetOwner().isEquivalentTo(ReleasedCell.class)))
                .because("only DisclosureControl creates released values")
                .check(CLASSES);
    }

    @Test
    void responsesAreWrittenOnlyByTheReleaseSerialiserErrorsAndStaticResources() {
        noClasses().that().resideInAPackage("..query.api..")
                .and().doNotHaveSimpleName("ReleaseJson")
                .should().callMethodWhere(DescribedPredicate.describe("a method writing a response body",
                        call -> (call.getTargetOwner().isAssignableTo(HttpServerResponse.class)
                                && Set.of("end", "write", "send", "sendFile").contains(call.getName()))
                                || (call.getTargetOwner().isAssignableTo(RoutingContext.class)
                                && Set.of("json", "end").contains(call.getName()))))
                .check(CLASSES);
    }

    @Test
    void theReleaseSerialiserTakesOnlyReleasedValues() {
        methods().that().areDeclaredIn("de.prokommun.insights.query.api.ReleaseJson")
                .and().doNotHaveModifier(com.tngtech.archunit.core.domain.JavaModifier.SYNTHETIC)
                .should(takeOnlyParameters(Set.of(AudienceAnswer.class, InsightAnswer.class, ReleasedCell.class,
                        BudgetStatus.class, RoutingContext.class, JsonObject.class, int.class)))
                .check(CLASSES);
    }

    private static DescribedPredicate<JavaClass> allowedForApi() {
        return DescribedPredicate.describe("the API's own classes, Vert.x, the JDK, logging, the participant"
                + " directory, the audience service surface or released privacy values", c -> {
            JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
            if (base.isPrimitive()) return true;
            String pkg = base.getPackageName();
            if (pkg.startsWith("de.prokommun.insights.query.api")) return true;
            if (pkg.startsWith("java.") || pkg.startsWith("io.vertx.") || pkg.startsWith("org.slf4j")) return true;
            if (pkg.equals("de.prokommun.insights.participants")) return true;
            // the shared checks of text and request paths (pure functions on what the client sent, no figures)
            if (pkg.equals("de.prokommun.insights.validation")) return true;
            // the one error shape, failure handler and static resources of every service (issue 16)
            if (pkg.equals("de.prokommun.insights.http")) return true;
            // the routes list mounts the dashboard routes (query.web has its own rules: WebArchitectureTest)
            if (base.getName().equals("de.prokommun.insights.query.web.Dashboards")) return true;
            // the campaign service (issue 18): campaigns hold no personal data; its reach and results are released
            // answers of the audience and insights services
            if (base.getName().equals("de.prokommun.insights.query.campaign.CampaignService")
                    || base.getName().equals("de.prokommun.insights.query.campaign.CampaignService$Action")) return true;
            // the journey service and its validated requests (its answers are InsightAnswers)
            if (base.getName().equals(JourneyService.class.getName())
                    || base.getName().startsWith(JourneyRequests.class.getName() + "$")) return true;
            return AUDIENCE_SURFACE.stream().anyMatch(a -> a.getName().equals(base.getName()))
                    || INSIGHTS_SURFACE.stream().anyMatch(a -> a.getName().equals(base.getName()))
                    || PRIVACY_SURFACE.stream().anyMatch(a -> a.getName().equals(base.getName()));
        });
    }

    private static ArchCondition<JavaField> haveOnlyTypes(Set<Class<?>> allowed) {
        return new ArchCondition<>("have only types " + allowed) {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                boolean ok = allowed.stream().anyMatch(a -> field.getRawType().isEquivalentTo(a));
                if (ok && field.getType() instanceof JavaParameterizedType p) {
                    for (JavaType arg : p.getActualTypeArguments()) {
                        ok &= allowed.stream().anyMatch(a -> arg.toErasure().isEquivalentTo(a));
                    }
                }
                events.add(new SimpleConditionEvent(field, ok, field.getFullName() + " has type " + field.getType().getName()));
            }
        };
    }

    private static ArchCondition<JavaField> haveTypeReleaseStringOrListOfRelease() {
        return new ArchCondition<>("have type Release, String, List<Release> or AnswerSource (text only)") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                JavaType type = field.getType();
                boolean ok = type.toErasure().isEquivalentTo(Release.class) || type.toErasure().isEquivalentTo(String.class)
                        || type.toErasure().isEquivalentTo(de.prokommun.insights.query.audience.AnswerSource.class)
                        || (type instanceof JavaParameterizedType p && p.toErasure().isEquivalentTo(List.class)
                        && p.getActualTypeArguments().size() == 1
                        && p.getActualTypeArguments().get(0).toErasure().isEquivalentTo(Release.class));
                events.add(new SimpleConditionEvent(field, ok, field.getFullName() + " has type " + type.getName()));
            }
        };
    }

    private static ArchCondition<JavaMethod> takeOnlyParameters(Set<Class<?>> allowed) {
        return new ArchCondition<>("take only parameters of types " + allowed) {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                for (JavaClass p : method.getRawParameterTypes()) {
                    boolean ok = allowed.stream().anyMatch(a -> p.isEquivalentTo(a));
                    events.add(new SimpleConditionEvent(method, ok, method.getFullName() + " takes " + p.getName()));
                }
            }
        };
    }
}
