package dev.chathistory.repository;

import dev.chathistory.shared.auth.ApiKeyRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import dev.chathistory.shared.testing.contract.ApiKeyRepositoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of {@link ApiKeyRepository} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbApiKeyRepositoryContractIT extends ApiKeyRepositoryContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected ApiKeyRepository newRepository() {
        return new DynamoDbApiKeyRepository(tables.dynamoDb(), tables.usersTable());
    }
}
