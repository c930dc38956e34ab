package dev.chathistory.repository;

import dev.chathistory.shared.branches.BranchRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbBranchRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.testing.contract.BranchRepositoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of {@link BranchRepository} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbBranchRepositoryContractIT extends BranchRepositoryContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected Repositories newRepositories() {
        return new Repositories(new DynamoDbBranchRepository(tables.dynamoDb(), tables.messagesTable()),
                new DynamoDbMessageRepository(tables.dynamoDb(), tables.messagesTable()));
    }
}
