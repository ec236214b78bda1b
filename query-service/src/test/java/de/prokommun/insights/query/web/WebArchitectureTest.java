package de.prokommun.insights.query.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.query.audience.TrueCountSource;
import de.prokommun.insights.query.insights.ContributionSource;
import org.junit.jupiter.api.Test;

/**
 * The dashboard routes and the health monitor never reach true figures: live answers are fetched from the
 * query API itself (released JSON), health figures are operational counts of Kafka, Flink and ingestion.
 */
class WebArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("de.prokommun.insights.query");

    @Test
    void dashboardsAndHealthNeitherQueryPinotForFiguresNorBypassTheReleaseLayer() {
        noClasses().that().resideInAnyPackage("..query.web..", "..query.health..")
                .should().dependOnClassesThat().resideInAnyPackage("..query.pinot..", "org.apache.pinot..",
                        "..query.insights..")
                .orShould().dependOnClassesThat().belongToAnyOf(TrueCountSource.class, ContributionSource.class,
                        DisclosureControl.class)
                .check(CLASSES);
    }

    @Test
    void theWebPackageCallsTheAudienceServiceOnlyForTheCityVocabulary() {
        noClasses().that().resideInAPackage("..query.web..")
                .should().callMethod(de.prokommun.insights.query.audience.AudienceService.class, "answer",
                        de.prokommun.insights.privacy.Asker.class, de.prokommun.insights.query.audience.AudienceRequest.class)
                .check(CLASSES);
    }
}
