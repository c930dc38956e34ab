package dev.chathistory.repository;

import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.testing.contract.UserRepositoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract of {@link UserRepository} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbUserRepositoryContractIT extends UserRepositoryContract {

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
    protected UserRepository newRepository() {
        return new DynamoDbUserRepository(tables.dynamoDb, tables.usersTable());
    }
}
