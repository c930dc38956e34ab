package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.retention.RetentionRepository;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;

/** The contract of {@link RetentionRepository} against the in-memory fake the service tests use. */
class InMemoryRetentionRepositoryContractTest extends RetentionRepositoryContract {

    @Override
    protected RetentionRepository newRepository() {
        return new InMemoryRetentionRepository();
    }
}
