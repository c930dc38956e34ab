package dev.chathistory.shared.retention;

import dev.chathistory.shared.cache.MeteredCache;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.metrics.ServiceMetrics;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * The retention rules: which policy is in force for a chat, when a message expires, whether a
 * message is already past retention (and so unreadable, whether or not DynamoDB's TTL has
 * removed it yet), and changes of policy and hold, each followed by a {@code retention} job that
 * applies the new policy to what is already stored.
 *
 * <p>Policies are read through per-container caches that keep an entry as long as API containers
 * remember filed chats ({@code ChatDirectoryCacheSeconds}); a change made through this container
 * is seen by it at once, other containers see it within that time. The job a change enqueues makes a second pass after that lifetime, so a
 * message another container stamped under the old policy is stamped again.
 */
public final class Retention {

    /** The user id under which chat-wide retention jobs run; no bot's user gets this id's jobs. */
    public static final String CHAT_JOB_USER = "sys.retention";

    /** A chat's policy as the API shows it. */
    public record ChatView(ChatRetention own, OptionalInt tenantDays, OptionalInt effectiveDays) {
    }

    private static final long CACHE_SIZE = 10_000;

    private final RetentionRepository store;
    private final MeteredCache<String, OptionalInt> tenants;
    private final MeteredCache<ChatRef, ChatRetention> chats;
    private final MeteredCache<UserRef, Boolean> holds;
    private final JobQueue jobs;
    private final MessageIdGenerator jobIds;
    private final Clock clock;

    public Retention(RetentionRepository store, Duration cacheTtl, ServiceMetrics metrics, JobQueue jobs,
                     MessageIdGenerator jobIds, Clock clock) {
        this.store = store;
        this.tenants = new MeteredCache<>("RetentionTenants", cacheTtl, CACHE_SIZE, metrics);
        this.chats = new MeteredCache<>("RetentionChats", cacheTtl, CACHE_SIZE, metrics);
        this.holds = new MeteredCache<>("LegalHolds", cacheTtl, CACHE_SIZE, metrics);
        this.jobs = jobs;
        this.jobIds = jobIds;
        this.clock = clock;
    }

    /** The policy in force for the chat, as this container last read it. */
    public RetentionPolicy policyOf(ChatRef chat) {
        return new RetentionPolicy(tenants.get(chat.tenantId(), store::findTenantDays),
                chats.get(chat, store::findChat));
    }

    /** Whether a legal hold is on the user, as this container last read it. */
    public boolean isHeld(UserRef user) {
        return holds.get(user, store::findUserHold);
    }

    /** Whether the message is past retention under {@code policy}: its author's hold is asked only then. */
    public boolean isExpired(RetentionPolicy policy, ChatRef chat, Message message, Instant now) {
        return policy.pastRetention(message.createdAt(), now)
                && !isHeld(new UserRef(chat.tenantId(), message.userId()));
    }

    /**
     * What a reader of the chat may see now: every message but those past retention, whether or
     * not TTL has removed them yet. One policy read (cached) per call, so one per page.
     */
    public Predicate<Message> readableIn(ChatRef chat) {
        RetentionPolicy policy = policyOf(chat);
        Instant now = clock.instant();
        return message -> !isExpired(policy, chat, message, now);
    }

    /** When a new message (or version) of {@code author} in the chat expires; null when it is kept. */
    public Instant expiryFor(ChatRef chat, String author, Instant createdAt) {
        return expiryOf(policyOf(chat), new UserRef(chat.tenantId(), author), createdAt).orElse(null);
    }

    /** When a message of {@code author} created then expires; empty when it is kept. */
    public Optional<Instant> expiryOf(RetentionPolicy policy, UserRef author, Instant createdAt) {
        Optional<Instant> expiry = policy.expiryOf(createdAt);
        return expiry.isEmpty() || isHeld(author) ? Optional.empty() : expiry;
    }

    public ChatView chatPolicy(ChatRef chat) {
        return view(policyOf(chat));
    }

    /**
     * Sets the chat's own retention and hold, then enqueues the job that applies them to what
     * the chat already holds. A chat's retention cannot be longer than its tenant's.
     */
    public ChatView setChatPolicy(ChatRef chat, ChatRetention policy) {
        OptionalInt tenantDays = store.findTenantDays(chat.tenantId());
        if (policy.days() != null && tenantDays.isPresent() && policy.days() > tenantDays.getAsInt()) {
            throw new DomainException(Problem.RETENTION_TOO_LONG, "days must not exceed the tenant's retention of "
                    + tenantDays.getAsInt() + " days");
        }
        store.setChat(chat, policy, clock.instant());
        chats.put(chat, policy);
        tenants.put(chat.tenantId(), tenantDays);
        enqueue(new JobRequest(jobIds.nextId(), JobType.RETENTION, chat.tenantId(), CHAT_JOB_USER, chat.chatId()));
        return view(new RetentionPolicy(tenantDays, policy));
    }

    /** Sets or lifts a user's legal hold, then enqueues the job that applies it to their messages. */
    public boolean setHold(UserRef user, boolean held) {
        store.setUserHeld(user, held, clock.instant());
        holds.put(user, held);
        enqueue(new JobRequest(jobIds.nextId(), JobType.RETENTION, user.tenantId(), user.userId(), null));
        return held;
    }

    private void enqueue(JobRequest request) {
        // Sent after the policy is stored: a failure here leaves the policy in force for every
        // read, and the caller's retry (the same PUT) sends the job again.
        jobs.send(request);
    }

    private static ChatView view(RetentionPolicy policy) {
        return new ChatView(policy.chat(), policy.tenantDays(), policy.days());
    }
}
