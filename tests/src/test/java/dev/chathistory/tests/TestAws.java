package dev.chathistory.tests;

import dev.chathistory.local.Emulator;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.aws.IamCallLog;
import dev.chathistory.local.resources.TableProvisioner;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.testing.TestConfigs;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The emulator every integration test in this JVM shares (started once, stopped at exit), and
 * fresh tables per test class, created from template.yaml, so classes never see each other's
 * data. Set {@code AWS_ENDPOINT_URL} to run the same suite against LocalStack or MiniStack.
 */
public final class TestAws {

    private static Emulator emulator;
    /** A variant of template.yaml that stacks deploy instead, while a test says so. */
    private static volatile SamTemplate override;

    private TestAws() {
    }

    public static synchronized Emulator emulator() {
        if (emulator == null) {
            emulator = Emulator.startOrConnect(ProjectRoot.find());
        }
        return emulator;
    }

    /** A configuration pointing at new, empty tables made from the template. */
    public static ServiceConfig freshTables() {
        ServiceConfig base = TestConfigs.config(Optional.of(emulator().endpoint()), "unset", "unset");
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
        try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(base)) {
            Map<String, String> tables = new TableProvisioner(dynamoDb)
                    .createAll(SamTemplate.loadFrom(ProjectRoot.find()), prefix);
            return base.withTables(tables.get("MessagesTable"), tables.get("UsersTable"));
        }
    }

    /**
     * The repository's template deployed on the local stack under a fresh stack name (so its
     * resources are its own), on a free port, with schedules firing only on demand.
     */
    public static LocalDeployment deployTemplate(String stackPrefix) throws IOException {
        return LocalDeployment.start(LocalDeployment.Options.defaults(template(), 0)
                .withStackName(stackName(stackPrefix)).withSchedulesEnabled(false)
                .withParameterOverrides(testParameters(Map.of())), emulator().endpoint());
    }

    /**
     * Template parameters every test stack uses, under the test's own: the API remembers directory
     * entries for a second, so an erase settles (files again what was written since) in one second
     * rather than five and a half minutes.
     */
    public static Map<String, String> testParameters(Map<String, String> overrides) {
        Map<String, String> parameters = new java.util.HashMap<>(Map.of(
                "ChatDirectoryCacheSeconds", "1", "EraseSettleMarginSeconds", "0"));
        parameters.putAll(overrides);
        return parameters;
    }

    /** template.yaml, or the variant {@link #withTemplate} put in its place. */
    public static SamTemplate template() {
        SamTemplate variant = override;
        return variant != null ? variant : SamTemplate.loadFrom(ProjectRoot.find());
    }

    /**
     * A fresh stack name. Stacks of a changed template are marked ({@link IamCallLog#PROBE_STACK_PREFIX}),
     * so the denials they exist to show are not taken for the real template's.
     */
    public static String stackName(String prefix) {
        return (override != null ? IamCallLog.PROBE_STACK_PREFIX : "") + prefix + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs {@code action} with every stack the tests deploy made from {@code variant}. */
    public static synchronized <T> T withTemplate(SamTemplate variant, Supplier<T> action) {
        override = variant;
        try {
            return action.get();
        } finally {
            override = null;
        }
    }
}
