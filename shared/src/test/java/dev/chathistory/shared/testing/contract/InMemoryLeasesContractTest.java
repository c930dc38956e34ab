package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.testing.InMemoryLeases;

/** The contract of {@link Leases} against the in-memory fake the service tests use. */
class InMemoryLeasesContractTest extends LeasesContract {

    @Override
    protected Leases newLeases() {
        return new InMemoryLeases();
    }
}
