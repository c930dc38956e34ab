package dev.chathistory.repository;

import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.repository.dynamodb.DynamoDbLeases;
import dev.chathistory.shared.testing.contract.LeasesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract of {@link Leases} against DynamoDB on the emulator, tables from template.yaml. */
class DynamoDbLeasesContractIT extends LeasesContract {

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
    protected Leases newLeases() {
        return new DynamoDbLeases(tables.dynamoDb, tables.usersTable());
    }
}
