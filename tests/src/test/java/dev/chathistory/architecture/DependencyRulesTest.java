package dev.chathistory.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules between modules, over the production classes of every module on this module's
 * classpath (tests and test jars left out):
 * <ul>
 *   <li>a function never depends on another function, the local stack, the importer or the
 *       client: each deploys alone, with only {@code shared} beside it;</li>
 *   <li>the core ({@code shared}) depends on no function and on no tool built on it;</li>
 *   <li>the client and the framework adapters on it depend on no server code: bots take them
 *       without the server's jars;</li>
 *   <li>the operator's commands ({@code ./admin}, {@code ./import}) depend on the core alone,
 *       so they build without the functions or the local stack (and its Node.js tools);</li>
 *   <li>nothing depends on Powertools' {@code internal} packages, which may change in any
 *       release.</li>
 * </ul>
 * A rule whose classes are missing fails rather than passes (ArchUnit's default), so a renamed
 * package cannot empty a rule.
 */
class DependencyRulesTest {

    private static final String[] FUNCTIONS = {"dev.chathistory.messageapi..", "dev.chathistory.userbatch..",
            "dev.chathistory.maintenance..", "dev.chathistory.ingest..", "dev.chathistory.authorizer.."};
    private static final String[] TOOLS = {"dev.chathistory.local..", "dev.chathistory.importer..",
            "dev.chathistory.admin..", "dev.chathistory.client..", "dev.chathistory.langchain4j..",
            "dev.chathistory.springai.."};

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.chathistory");
    }

    @Test
    void functions_shouldNotDependOnEachOther() {
        slices().matching("dev.chathistory.(messageapi|userbatch|maintenance|ingest|authorizer)..")
                .should().notDependOnEachOther()
                .check(production);
    }

    @Test
    void functions_shouldNotDependOnTheLocalStackTheImporterOrTheClient() {
        noClasses().that().resideInAnyPackage(FUNCTIONS)
                .should().dependOnClassesThat().resideInAnyPackage(TOOLS)
                .check(production);
    }

    @Test
    void theCore_shouldDependOnNoFunctionAndNoTool() {
        noClasses().that().resideInAPackage("dev.chathistory.shared..")
                .should().dependOnClassesThat().resideInAnyPackage(FUNCTIONS)
                .orShould().dependOnClassesThat().resideInAnyPackage(TOOLS)
                .check(production);
    }

    @Test
    void theClient_shouldDependOnNoServerCode() {
        noClasses().that().resideInAnyPackage("dev.chathistory.client..", "dev.chathistory.langchain4j..",
                        "dev.chathistory.springai..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.chathistory.shared..",
                        "dev.chathistory.local..", "dev.chathistory.importer..")
                .orShould().dependOnClassesThat().resideInAnyPackage(FUNCTIONS)
                .check(production);
    }

    @Test
    void theOperatorsCommands_shouldDependOnTheCoreAlone() {
        noClasses().that().resideInAnyPackage("dev.chathistory.admin..", "dev.chathistory.importer..")
                .should().dependOnClassesThat().resideInAnyPackage(FUNCTIONS)
                .orShould().dependOnClassesThat().resideInAPackage("dev.chathistory.local..")
                .check(production);
    }

    @Test
    void nothing_shouldDependOnPowertoolsInternals() {
        noClasses().that().resideInAPackage("dev.chathistory..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.lambda.powertools..internal..")
                .check(production);
    }
}
