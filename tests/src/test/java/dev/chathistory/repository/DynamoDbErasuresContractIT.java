package dev.chathistory.repository;

import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.repository.dynamodb.DynamoDbErasures;
import dev.chathistory.shared.testing.contract.ErasuresContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract of {@link Erasures} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbErasuresContractIT extends ErasuresContract {

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
    protected Erasures newErasures() {
        return new DynamoDbErasures(tables.dynamoDb, tables.usersTable());
    }
}
