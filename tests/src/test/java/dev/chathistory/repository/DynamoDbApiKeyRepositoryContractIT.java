package dev.chathistory.repository;

import dev.chathistory.shared.auth.ApiKeyRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import dev.chathistory.shared.testing.contract.ApiKeyRepositoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract of {@link ApiKeyRepository} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbApiKeyRepositoryContractIT extends ApiKeyRepositoryContract {

    private static EmulatorTables tables;

    @BeforeAll
    static void tables() {
        tables = EmulatorTables.fresh();
    }

    @AfterAll
    static void close() {
        tables.close();
    }

    @Override
    protected ApiKeyRepository newRepository() {
        return new DynamoDbApiKeyRepository(tables.dynamoDb, tables.usersTable());
    }
}
