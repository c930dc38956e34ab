package dev.chathistory.repository;

import dev.chathistory.shared.limits.BudgetStore;
import dev.chathistory.shared.repository.dynamodb.DynamoDbBudgetStore;
import dev.chathistory.shared.testing.contract.BudgetStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract of {@link BudgetStore} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbBudgetStoreContractIT extends BudgetStoreContract {

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
    protected BudgetStore newStore() {
        return new DynamoDbBudgetStore(tables.dynamoDb, tables.usersTable());
    }
}
