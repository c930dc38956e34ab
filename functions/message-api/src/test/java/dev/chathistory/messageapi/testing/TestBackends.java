package dev.chathistory.messageapi.testing;

import dev.chathistory.messageapi.Backends;
import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.RecordingJobQueue;

/** Backends made of the in-memory fakes, each reachable for assertions. */
public record TestBackends(
        InMemoryMessageRepository messages,
        InMemoryUserRepository users,
        InMemoryJobRepository jobs,
        RecordingJobQueue queue,
        InMemoryObjectStore objects) {

    public static TestBackends create() {
        return new TestBackends(new InMemoryMessageRepository(), new InMemoryUserRepository(),
                new InMemoryJobRepository(), new RecordingJobQueue(), new InMemoryObjectStore());
    }

    public Backends backends() {
        return new Backends(messages, users, ArchivedHistory.none(), jobs, queue, objects);
    }
}
