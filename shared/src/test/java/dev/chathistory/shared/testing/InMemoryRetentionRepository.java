package dev.chathistory.shared.testing;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.retention.ChatRetention;
import dev.chathistory.shared.retention.RetentionRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** An honest fake of {@link RetentionRepository}; its contract is {@code RetentionRepositoryContract}. */
public final class InMemoryRetentionRepository implements RetentionRepository, HeldItems {

    private final Map<String, Integer> tenants = new HashMap<>();
    private final Map<ChatRef, ChatRetention> chats = new HashMap<>();
    private final Set<UserRef> holds = new HashSet<>();

    @Override
    public synchronized OptionalInt findTenantDays(String tenantId) {
        Integer days = tenants.get(tenantId);
        return days == null ? OptionalInt.empty() : OptionalInt.of(days);
    }

    @Override
    public synchronized void setTenantDays(String tenantId, OptionalInt days, Instant now) {
        if (days.isEmpty()) {
            tenants.remove(tenantId);
        } else {
            tenants.put(tenantId, days.getAsInt());
        }
    }

    @Override
    public synchronized ChatRetention findChat(ChatRef chat) {
        return chats.getOrDefault(chat, ChatRetention.NONE);
    }

    @Override
    public synchronized void setChat(ChatRef chat, ChatRetention policy, Instant now) {
        if (policy.equals(ChatRetention.NONE)) {
            chats.remove(chat);
        } else {
            chats.put(chat, policy);
        }
    }

    @Override
    public synchronized void forgetUserHold(UserRef user) {
        holds.remove(user);
    }

    /** Tenant policies, chat policies and holds, each under its tenant. */
    @Override
    public synchronized List<HeldItem> heldItems() {
        List<HeldItem> items = new ArrayList<>();
        tenants.forEach((tenant, days) -> items.add(HeldItem.of("tenantRetention", tenant, days, tenant)));
        chats.forEach((chat, policy) -> items.add(HeldItem.of("chatRetention", chat, policy, chat.tenantId())));
        holds.forEach(user -> items.add(HeldItem.of("legalHold", user, true, user.tenantId())));
        return items;
    }

    @Override
    public synchronized boolean findUserHold(UserRef user) {
        return holds.contains(user);
    }

    @Override
    public synchronized void setUserHeld(UserRef user, boolean held, Instant now) {
        if (held) {
            holds.add(user);
        } else {
            holds.remove(user);
        }
    }
}
