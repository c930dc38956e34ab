package dev.chathistory.userbatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.UserRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Archives the user's chats (or the one named) older than the user's retention: the
 * {@code archiveAfterDays} setting when it holds a whole number of days in range, else the
 * deployment default. A chat archives as a whole, by the retention of the user whose job it is.
 * The job holds the user's lease throughout and each chat's lease while archiving it, so it never
 * overlaps an export or erase of the user, nor an erase of another member of a group chat.
 */
public final class ArchiveJob implements UserJob {

    public static final String RETENTION_SETTING = "archiveAfterDays";

    private final ChatArchiver archiver;
    private final UserRepository users;
    private final Clock clock;
    private final int defaultDays;
    private final Leases leases;
    private final Duration leaseTtl;

    public ArchiveJob(ChatArchiver archiver, UserRepository users, Clock clock, int defaultDays, Leases leases,
                      Duration leaseTtl) {
        this.archiver = archiver;
        this.users = users;
        this.clock = clock;
        this.defaultDays = defaultDays;
        this.leases = leases;
        this.leaseTtl = leaseTtl;
    }

    @Override
    public JobOutcome run(JobRun run) {
        JobRequest request = run.request();
        UserRef user = new UserRef(request.tenantId(), request.userId());
        try (Leases.Held userLease = run.hold(leases, Leases.user(user), clock.instant(), leaseTtl)) {
            int days = retentionDays(users.findSettings(user).settings().get(RETENTION_SETTING));
            Instant cutoff = clock.instant().minus(Duration.ofDays(days));
            List<String> chats = request.chatId() != null ? List.of(request.chatId()) : users.listChats(user);
            JobOutcome.Counts counts = new JobOutcome.Counts().add("retentionDays", days);
            for (String chatId : chats) {
                ChatRef chat = new ChatRef(request.tenantId(), chatId);
                try (Leases.Held chatLease = run.hold(leases, Leases.chat(chat), clock.instant(),
                        leaseTtl)) {
                    archiver.archiveOlderThan(chat, cutoff, counts);
                }
                counts.add("chatsVisited", 1);
            }
            return counts.outcome();
        }
    }

    int retentionDays(JsonNode setting) {
        if (setting != null && setting.isIntegralNumber() && setting.canConvertToInt()
                && setting.asInt() >= 1 && setting.asInt() <= 36_500) {
            return setting.asInt();
        }
        return defaultDays;
    }
}
