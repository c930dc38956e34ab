package dev.chathistory.repository;

import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import dev.chathistory.shared.retention.RetentionRepository;
import dev.chathistory.shared.testing.contract.RetentionRepositoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of {@link RetentionRepository} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbRetentionRepositoryContractIT extends RetentionRepositoryContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected RetentionRepository newRepository() {
        return new DynamoDbRetentionRepository(tables.dynamoDb(), tables.messagesTable(), tables.usersTable());
    }
}
