package dev.chathistory.repository;

import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.testing.contract.ArchiveIndexContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The archive index's contract against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbArchiveIndexContractIT extends ArchiveIndexContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected Repositories newRepositories() {
        return new Repositories(new DynamoDbArchiveIndex(tables.dynamoDb(), tables.messagesTable()),
                new DynamoDbMessageRepository(tables.dynamoDb(), tables.messagesTable()));
    }
}
