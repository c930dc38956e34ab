package dev.chathistory.messageapi.testing;

import dev.chathistory.messageapi.Backends;
import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryBranchRepository;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.RecordingAttachmentStorage;
import dev.chathistory.shared.testing.RecordingJobQueue;

/** Backends made of the in-memory fakes, each reachable for assertions. */
public record TestBackends(
        InMemoryMessageRepository messages,
        InMemoryUserRepository users,
        InMemoryJobRepository jobs,
        RecordingJobQueue queue,
        InMemoryObjectStore objects,
        InMemoryAttachmentRepository attachments,
        InMemoryRetentionRepository retention,
        InMemoryBranchRepository branches) {

    public static TestBackends create() {
        InMemoryMessageRepository messages = new InMemoryMessageRepository();
        return new TestBackends(messages, new InMemoryUserRepository(), new InMemoryJobRepository(),
                new RecordingJobQueue(), new InMemoryObjectStore(), new InMemoryAttachmentRepository(messages),
                new InMemoryRetentionRepository(), new InMemoryBranchRepository(messages));
    }

    public Backends backends() {
        return new Backends(messages, users, ArchivedHistory.none(), jobs, queue, objects, attachments,
                new RecordingAttachmentStorage(), retention, branches);
    }
}
