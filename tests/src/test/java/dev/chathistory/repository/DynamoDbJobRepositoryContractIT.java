package dev.chathistory.repository;

import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbJobRepository;
import dev.chathistory.shared.testing.contract.JobRepositoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of {@link JobRepository} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbJobRepositoryContractIT extends JobRepositoryContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected JobRepository newRepository() {
        return new DynamoDbJobRepository(tables.dynamoDb(), tables.usersTable());
    }
}
