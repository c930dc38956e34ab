package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;

/** The attachment repository's contract against the in-memory fakes the service tests use. */
class InMemoryAttachmentRepositoryContractTest extends AttachmentRepositoryContract {

    @Override
    protected Repositories newRepositories() {
        InMemoryMessageRepository messages = new InMemoryMessageRepository();
        return new Repositories(new InMemoryAttachmentRepository(messages), messages);
    }
}
