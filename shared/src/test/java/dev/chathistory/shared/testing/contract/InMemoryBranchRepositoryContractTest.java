package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.branches.BranchRepository;
import dev.chathistory.shared.testing.InMemoryBranchRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;

/** The contract of {@link BranchRepository} against the in-memory fake the service tests use. */
class InMemoryBranchRepositoryContractTest extends BranchRepositoryContract {

    @Override
    protected Repositories newRepositories() {
        InMemoryMessageRepository messages = new InMemoryMessageRepository();
        return new Repositories(new InMemoryBranchRepository(messages), messages);
    }
}
