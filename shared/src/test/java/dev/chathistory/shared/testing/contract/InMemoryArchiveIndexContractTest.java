package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryMessageRepository;

/** The archive index's contract against the in-memory fakes the service tests use. */
class InMemoryArchiveIndexContractTest extends ArchiveIndexContract {

    @Override
    protected Repositories newRepositories() {
        InMemoryMessageRepository messages = new InMemoryMessageRepository();
        return new Repositories(new InMemoryArchiveIndex(messages), messages);
    }
}
