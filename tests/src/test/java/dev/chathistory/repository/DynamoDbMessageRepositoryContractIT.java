package dev.chathistory.repository;

import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.testing.contract.MessageRepositoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The message repository's contract against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbMessageRepositoryContractIT extends MessageRepositoryContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected MessageRepository newRepository() {
        return new DynamoDbMessageRepository(tables.dynamoDb(), tables.messagesTable());
    }
}
