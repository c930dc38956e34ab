package dev.chathistory.shared.retention;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * Where retention policies and legal holds are kept: one per tenant (set by the operator), one
 * per chat and one per user (set through the API). Every read is strongly consistent.
 */
public interface RetentionRepository {

    /** The tenant's retention in days; empty when its data is kept until deleted. */
    OptionalInt findTenantDays(String tenantId);

    /** Sets the tenant's retention; empty removes it. */
    void setTenantDays(String tenantId, OptionalInt days, Instant now);

    /** The chat's own policy, {@link ChatRetention#NONE} when none was set. */
    ChatRetention findChat(ChatRef chat);

    /** The policy in force for the chat as stored now: its tenant's and its own (two reads). */
    default RetentionPolicy findPolicy(ChatRef chat) {
        return new RetentionPolicy(findTenantDays(chat.tenantId()), findChat(chat));
    }

    void setChat(ChatRef chat, ChatRetention policy, Instant now);

    /** Whether a legal hold is on the user. */
    boolean findUserHold(UserRef user);

    void setUserHeld(UserRef user, boolean held, Instant now);

    /** Removes what is kept of a user's hold (an erase, which a hold refuses, leaves nothing behind). */
    void forgetUserHold(UserRef user);
}
