package dev.chathistory.messageapi;

import dev.chathistory.messageapi.http.HttpRequest;

/**
 * Decides which tenant a request acts for. Every key already carries the tenant, so when bots
 * get their own API keys only this resolver changes (it will read the authorizer's context).
 */
@FunctionalInterface
interface TenantResolver {

    String tenantOf(HttpRequest request);

    /** One configured tenant for every request, until authentication lands. */
    static TenantResolver fixed(String tenantId) {
        return request -> tenantId;
    }
}
