package dev.chathistory.admin;

import java.util.OptionalInt;

/** Sets a tenant's retention, and has it applied to the chats the tenant already holds. */
public interface TenantRetention {

    /**
     * Records the tenant's retention (empty: keep until deleted) and enqueues a retention job for
     * every chat the tenant's users wrote in.
     *
     * @return how many chats' jobs were enqueued
     */
    int set(String tenantId, OptionalInt days);
}
