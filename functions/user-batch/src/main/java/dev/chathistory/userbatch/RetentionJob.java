package dev.chathistory.userbatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRef;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retention.RetentionPolicy;
import dev.chathistory.shared.retention.RetentionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Applies the retention policy stored now to what a chat already holds: deletes every message
 * past it (hot and archived, with its versions, idempotency records and attachments, as an erase
 * does), and stamps every other hot message and its versions with the expiry DynamoDB's TTL
 * will act on, or takes the stamp away where a hold keeps it.
 *
 * <p>Run for one chat when its policy changes ({@link Retention#CHAT_JOB_USER}), for a user's
 * messages in every chat of their directory when their hold changes, and by maintenance for a
 * chat whose archived chunks have expired. It runs twice: again once API containers can no
 * longer hold the old policy in their caches, so a message one of them stamped meanwhile is
 * stamped again.
 */
public final class RetentionJob implements UserJob {

    private final ChatEraser eraser;
    private final MessageRepository messages;
    private final AttachmentRepository attachments;
    private final UserRepository users;
    private final RetentionRepository policies;
    private final JobRepository jobs;
    private final Leases leases;
    private final Clock clock;
    private final Duration leaseTtl;
    private final Duration settleDelay;

    /**
     * @param settleDelay how long API containers may serve a policy from their caches, plus a
     *     margin: the second pass runs after it
     */
    RetentionJob(ChatEraser eraser, MessageRepository messages, AttachmentRepository attachments, UserRepository users,
                 RetentionRepository policies, JobRepository jobs, Leases leases, Clock clock, Duration leaseTtl,
                 Duration settleDelay) {
        this.eraser = eraser;
        this.messages = messages;
        this.attachments = attachments;
        this.users = users;
        this.policies = policies;
        this.jobs = jobs;
        this.leases = leases;
        this.clock = clock;
        this.leaseTtl = leaseTtl;
        this.settleDelay = settleDelay;
    }

    @Override
    public JobOutcome run(JobRun run) {
        JobRequest request = run.request();
        // Only the service names a chat in a retention job (the API takes a chatId for archives
        // only), so a bot's own user called sys.retention still gets a job for their messages.
        boolean wholeChat = Retention.CHAT_JOB_USER.equals(request.userId()) && request.chatId() != null;
        UserRef user = new UserRef(request.tenantId(), request.userId());
        List<String> chats = request.chatId() != null ? List.of(request.chatId()) : users.listChats(user);
        String author = wholeChat ? null : request.userId();
        JobOutcome.Counts counts = new JobOutcome.Counts();
        for (String chatId : chats) {
            ChatRef chat = new ChatRef(request.tenantId(), chatId);
            try (Leases.Held chatLease = run.hold(leases, Leases.chat(chat), clock.instant(), leaseTtl)) {
                apply(chat, author, counts);
            }
            counts.add("chatsVisited", 1);
        }
        counts.add("passes", 1);
        JsonNode firstPass = jobs.checkpoint(request).map(Json::parseTrusted).orElse(null);
        if (firstPass == null) {
            Instant settleAt = clock.instant().plus(settleDelay);
            ObjectNode checkpoint = Json.object().put("settleAt", settleAt.toEpochMilli());
            checkpoint.set("counts", Json.mapper().valueToTree(counts.outcome().counts()));
            jobs.saveCheckpoint(request, Json.write(checkpoint));
            return counts.continueAfter(settleDelay);
        }
        Duration untilSettled = Duration.between(clock.instant(),
                Instant.ofEpochMilli(firstPass.path("settleAt").asLong()));
        if (!untilSettled.isNegative() && !untilSettled.isZero()) {
            // Delivered early (a redelivery of the first pass): the second pass still follows.
            return counts.continueAfter(untilSettled);
        }
        // The job's counts are both passes'.
        firstPass.path("counts").fields().forEachRemaining(e -> counts.add(e.getKey(), e.getValue().asLong()));
        return counts.outcome();
    }

    /** One pass over one chat (of one author, or everyone's) under the policy stored now. */
    void apply(ChatRef chat, String author, JobOutcome.Counts counts) {
        RetentionPolicy policy = policies.findPolicy(chat);
        Instant now = clock.instant();
        Map<String, Boolean> held = new HashMap<>();
        Predicate<String> isHeld = userId -> held.computeIfAbsent(userId,
                id -> policies.findUserHold(new UserRef(chat.tenantId(), id)));
        Predicate<Message> expired = m -> (author == null || author.equals(m.userId()))
                && policy.pastRetention(m.createdAt(), now) && !isHeld.test(m.userId());
        eraser.remove(chat, author, expired, false, counts, key -> { }, key -> { });
        Map<String, List<Attachment>> attached = attachments.listInChat(chat).stream()
                .collect(Collectors.groupingBy(Attachment::messageId));
        messages.forEachMessage(chat, author, m -> {
            Instant wanted = isHeld.test(m.userId()) ? null : policy.expiryOf(m.createdAt()).orElse(null);
            if (!Objects.equals(wanted, m.expiresAt())
                    && messages.stampExpiry(chat, m.messageId(), m.version(), wanted)) {
                counts.add("messagesStamped", 1);
                // Its attachments fall due for the retention sweep when it expires.
                for (Attachment a : attached.getOrDefault(m.messageId(), List.of())) {
                    attachments.setRetainUntil(new AttachmentRef(chat, a.messageId(), a.attachmentId()), wanted);
                }
            }
        });
    }
}
