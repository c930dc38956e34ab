package dev.chathistory.repository;

import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.tests.TestAws;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Fresh tables on the emulator and one client for them, as a static {@code @RegisterExtension}
 * field of a contract IT: ready before the repository is made, closed when done. Per class where
 * each test works in tenants of its own; per test where a read spans every tenant.
 */
final class EmulatorTables implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final boolean perTest;
    private ServiceConfig config;
    private DynamoDbClient dynamoDb;

    private EmulatorTables(boolean perTest) {
        this.perTest = perTest;
    }

    /** One set of tables for all the tests of the class. */
    static EmulatorTables perClass() {
        return new EmulatorTables(false);
    }

    /** New tables for every test. */
    static EmulatorTables perTest() {
        return new EmulatorTables(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest) {
            open();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!perTest) {
            dynamoDb.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            open();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            dynamoDb.close();
        }
    }

    private void open() {
        config = TestAws.freshTables();
        dynamoDb = AwsClientFactory.dynamoDb(config);
    }

    DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    String messagesTable() {
        return config.messagesTable();
    }

    String usersTable() {
        return config.usersTable();
    }
}
