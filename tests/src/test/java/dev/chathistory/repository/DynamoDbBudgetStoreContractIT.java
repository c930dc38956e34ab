package dev.chathistory.repository;

import dev.chathistory.shared.limits.BudgetStore;
import dev.chathistory.shared.repository.dynamodb.DynamoDbBudgetStore;
import dev.chathistory.shared.testing.contract.BudgetStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of {@link BudgetStore} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbBudgetStoreContractIT extends BudgetStoreContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected BudgetStore newStore() {
        return new DynamoDbBudgetStore(tables.dynamoDb(), tables.usersTable());
    }
}
