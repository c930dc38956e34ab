package dev.chathistory.userbatch;

import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Rebuilds the user's message count (messages not deleted, hot and archived) and last activity
 * (the newest version any of them has) from the data, replacing the approximate counters the
 * API keeps. Setting rather than adding makes a rerun harmless.
 */
public final class RecountJob implements UserJob {

    private final UserMessages userMessages;
    private final UserRepository users;
    private final int activeUserShards;

    public RecountJob(UserMessages userMessages, UserRepository users, int activeUserShards) {
        this.userMessages = userMessages;
        this.users = users;
        this.activeUserShards = activeUserShards;
    }

    @Override
    public JobOutcome run(JobRun run) {
        JobRequest request = run.request();
        UserRef user = new UserRef(request.tenantId(), request.userId());
        Tally tally = new Tally();
        long chats = 0;
        for (String chatId : users.listChats(user)) {
            ChatRef chat = new ChatRef(request.tenantId(), chatId);
            userMessages.forEachHot(chat, user.userId(), tally);
            userMessages.forEachArchived(chat, user.userId(), tally);
            chats++;
        }
        users.setActivity(user, tally.count, tally.lastActive,
                tally.lastActive == null ? null : UsersTable.activeShard(user, tally.lastActive, activeUserShards));
        return new JobOutcome.Counts()
                .add("chatsVisited", chats)
                .add("messageCount", tally.count)
                .add("messagesRead", tally.read)
                .outcome();
    }

    private static final class Tally implements Consumer<ArchivedMessage> {
        private long count;
        private long read;
        private Instant lastActive;

        @Override
        public void accept(ArchivedMessage archived) {
            read++;
            if (!archived.message().deleted()) {
                count++;
            }
            Instant at = archived.message().versionCreatedAt();
            if (lastActive == null || at.isAfter(lastActive)) {
                lastActive = at;
            }
        }
    }
}
