package dev.chathistory.repository;

import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.testing.contract.MessageRepositoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The message repository's contract against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbMessageRepositoryContractIT extends MessageRepositoryContract {

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
    protected MessageRepository newRepository() {
        return new DynamoDbMessageRepository(tables.dynamoDb, tables.messagesTable());
    }
}
