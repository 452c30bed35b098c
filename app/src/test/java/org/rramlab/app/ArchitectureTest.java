package org.rramlab.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The layering of docs/architecture.md, checked on the compiled main code of every module:
 * device-drivers <- services <- actors <- app, nothing imports app, every main is in app, no
 * cycle between packages, and no test kit in production code.
 */
@Timeout(120)
class ArchitectureTest {

    static final String DRIVERS = "org.rramlab.device..";
    static final String[] SERVICES = {
        "org.rramlab.streaming..", "org.rramlab.statistics..", "org.rramlab.learning..",
        "org.rramlab.datasets..", "org.rramlab.http..", "org.rramlab.archive.."};
    static final String[] ACTORS = {
        "org.rramlab.api..", "org.rramlab.array..", "org.rramlab.campaign..", "org.rramlab.cluster..",
        "org.rramlab.deploy..", "org.rramlab.livearchive..", "org.rramlab.livestats..",
        "org.rramlab.measurement..", "org.rramlab.metrics..", "org.rramlab.node..",
        "org.rramlab.serialization..", "org.rramlab.training.."};
    static final String APP = "org.rramlab.app..";
    /** The node library every actor uses: refusals and replies, settings, journaled node records. */
    static final String[] ACTOR_BASE = {"org.rramlab.api..", "org.rramlab.node..", "org.rramlab.serialization.."};

    static JavaClasses main;

    @BeforeAll
    static void importMainCode() {
        main = new ClassFileImporter().withImportOption(new MainCodeOnly()).importPackages("org.rramlab");
        // a wrong class path would make every rule pass on nothing
        assertTrue(main.contain("org.rramlab.app.cli.Main"), "app's classes were not found");
        assertTrue(main.contain("org.rramlab.device.DeviceModel") || main.size() > 500,
            "the libraries' classes were not found (" + main.size() + " classes)");
    }

    @Test
    void modulesDependOneWay() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Drivers").definedBy(DRIVERS)
            .layer("Services").definedBy(SERVICES)
            .layer("Actors").definedBy(ACTORS)
            .layer("App").definedBy(APP)
            .whereLayer("App").mayNotBeAccessedByAnyLayer()
            .whereLayer("Actors").mayOnlyBeAccessedByLayers("App")
            .whereLayer("Services").mayOnlyBeAccessedByLayers("Actors", "App")
            .whereLayer("Drivers").mayOnlyBeAccessedByLayers("Services", "Actors", "App")
            // a new top-level package must be placed on a floor here (and in docs/architecture.md)
            .ensureAllClassesAreContainedInArchitecture();
        rule.check(main);
    }

    @Test
    void theNodeLibraryKnowsNoActor() {
        noClasses().that().resideInAnyPackage(ACTOR_BASE)
            .should().dependOnClassesThat().resideInAnyPackage(actorFeatures())
            .because("org.rramlab.node and org.rramlab.api are the library every actor builds on")
            .check(main);
    }

    private static String[] actorFeatures() {
        return java.util.Arrays.stream(ACTORS).filter(p -> !java.util.List.of(ACTOR_BASE).contains(p))
            .toArray(String[]::new);
    }

    @Test
    void nothingImportsApp() {
        noClasses().that().resideOutsideOfPackage(APP)
            .should().dependOnClassesThat().resideInAPackage(APP)
            .check(main);
    }

    @Test
    void everyMainIsInApp() {
        methods().that().haveName("main").and().areStatic().and().haveRawParameterTypes(String[].class)
            .should().beDeclaredInClassesThat().resideInAPackage(APP)
            .allowEmptyShould(true)
            .check(main);
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching("org.rramlab.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void noTestKitInProductionCode() {
        noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.apache.pekko..testkit..", "org.junit..")
            .because("test kits are for tests; a production deployment does not run them")
            .check(main);
    }

    /**
     * Classes compiled from src/main: a module's target/classes or its jar, never test classes or a
     * test-jar; other jars are not read (their classes are still resolved where ours use them).
     */
    static final class MainCodeOnly implements ImportOption {
        private static final Pattern TEST = Pattern.compile(".*(/test-classes/|-tests\\.jar).*");
        private static final Pattern OURS = Pattern.compile(".*/rramlab-[^/]*\\.jar.*");

        @Override
        public boolean includes(Location location) {
            return !location.matches(TEST) && (!location.isJar() || location.matches(OURS));
        }
    }
}
