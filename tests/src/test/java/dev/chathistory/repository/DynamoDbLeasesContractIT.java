package dev.chathistory.repository;

import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.repository.dynamodb.DynamoDbLeases;
import dev.chathistory.shared.testing.contract.LeasesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of {@link Leases} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbLeasesContractIT extends LeasesContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perClass();

    @Override
    protected Leases newLeases() {
        return new DynamoDbLeases(tables.dynamoDb(), tables.usersTable());
    }
}
