package dev.chathistory.repository;

import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.tests.TestAws;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Fresh tables on the emulator for one contract class, and one client for them. Each test of a
 * contract works in tenants of its own, so the tests of a class can share the tables.
 */
final class EmulatorTables implements AutoCloseable {

    final ServiceConfig config;
    final DynamoDbClient dynamoDb;

    private EmulatorTables(ServiceConfig config) {
        this.config = config;
        this.dynamoDb = AwsClientFactory.dynamoDb(config);
    }

    static EmulatorTables fresh() {
        return new EmulatorTables(TestAws.freshTables());
    }

    String messagesTable() {
        return config.messagesTable();
    }

    String usersTable() {
        return config.usersTable();
    }

    @Override
    public void close() {
        dynamoDb.close();
    }
}
