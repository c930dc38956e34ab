package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.testing.InMemoryJobRepository;

/** The contract of {@link JobRepository} against the in-memory fake the service tests use. */
class InMemoryJobRepositoryContractTest extends JobRepositoryContract {

    @Override
    protected JobRepository newRepository() {
        return new InMemoryJobRepository();
    }
}
