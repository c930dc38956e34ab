package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;

/** The contract of {@link UserRepository} against the in-memory fake the service tests use. */
class InMemoryUserRepositoryContractTest extends UserRepositoryContract {

    @Override
    protected UserRepository newRepository() {
        return new InMemoryUserRepository();
    }
}
