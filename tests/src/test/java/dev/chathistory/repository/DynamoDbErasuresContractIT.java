package dev.chathistory.repository;

import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.repository.dynamodb.DynamoDbErasures;
import dev.chathistory.shared.testing.contract.ErasuresContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of {@link Erasures} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbErasuresContractIT extends ErasuresContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected Erasures newErasures() {
        return new DynamoDbErasures(tables.dynamoDb(), tables.usersTable());
    }
}
