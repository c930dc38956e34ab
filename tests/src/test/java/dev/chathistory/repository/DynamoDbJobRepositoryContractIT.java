package dev.chathistory.repository;

import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbJobRepository;
import dev.chathistory.shared.testing.contract.JobRepositoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract of {@link JobRepository} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbJobRepositoryContractIT extends JobRepositoryContract {

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
    protected JobRepository newRepository() {
        return new DynamoDbJobRepository(tables.dynamoDb, tables.usersTable());
    }
}
