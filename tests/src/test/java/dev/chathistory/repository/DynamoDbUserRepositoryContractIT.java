package dev.chathistory.repository;

import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.testing.contract.UserRepositoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of {@link UserRepository} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbUserRepositoryContractIT extends UserRepositoryContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected UserRepository newRepository() {
        return new DynamoDbUserRepository(tables.dynamoDb(), tables.usersTable());
    }
}
