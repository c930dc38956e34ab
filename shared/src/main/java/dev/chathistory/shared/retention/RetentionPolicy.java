package dev.chathistory.shared.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The policy in force for one chat: the tenant's retention, the chat's own (never longer than
 * the tenant's) and the chat's legal hold. A user's hold is looked up per author, since it
 * follows the user into every chat.
 */
public record RetentionPolicy(OptionalInt tenantDays, ChatRetention chat) {

    /** About a hundred years: "keep" for anyone who asks for a number. */
    public static final int MAX_DAYS = 36_500;

    /** Keeps everything: no tenant retention, no chat policy. */
    public static final RetentionPolicy KEEP = new RetentionPolicy(OptionalInt.empty(), ChatRetention.NONE);

    /** The retention that applies: the shorter of the tenant's and the chat's, if either is set. */
    public OptionalInt days() {
        if (chat.days() == null) {
            return tenantDays;
        }
        return OptionalInt.of(tenantDays.isPresent() ? Math.min(tenantDays.getAsInt(), chat.days()) : chat.days());
    }

    public boolean chatHeld() {
        return chat.legalHold();
    }

    /**
     * When a message created at {@code createdAt} by an author who is not held expires; empty
     * when it is kept (no retention, or the chat is held).
     */
    public Optional<Instant> expiryOf(Instant createdAt) {
        OptionalInt days = days();
        if (chatHeld() || days.isEmpty()) {
            return Optional.empty();
        }
        // Whole seconds, as DynamoDB's TTL attribute keeps it, so a stamp read back compares equal.
        return Optional.of(createdAt.plus(Duration.ofDays(days.getAsInt())).truncatedTo(ChronoUnit.SECONDS));
    }

    /** Whether a message created then is past retention at {@code now}, unless its author is held. */
    public boolean pastRetention(Instant createdAt, Instant now) {
        return expiryOf(createdAt).map(expiry -> !expiry.isAfter(now)).orElse(false);
    }
}
