package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;

/** The message repository's contract against the in-memory fake the service tests use. */
class InMemoryMessageRepositoryContractTest extends MessageRepositoryContract {

    @Override
    protected MessageRepository newRepository() {
        return new InMemoryMessageRepository();
    }
}
