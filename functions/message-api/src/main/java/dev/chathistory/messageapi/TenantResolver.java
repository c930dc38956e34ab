package dev.chathistory.messageapi;

import dev.chathistory.messageapi.http.ApiException;
import dev.chathistory.messageapi.http.ErrorCode;
import dev.chathistory.messageapi.http.HttpRequest;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.limits.LimitOverrides;

/**
 * Decides which tenant a request acts for: the one the Lambda authorizer found for the
 * request's API key, and nothing else. No path, query, header or body can name a tenant.
 */
@FunctionalInterface
interface TenantResolver {

    /** The context key the authorizer puts the tenant under. */
    String TENANT_CONTEXT_KEY = "tenantId";

    /** @throws ApiException 401 when the request carries no valid API key */
    String tenantOf(HttpRequest request);

    /** The tenant's own limits, as the authorizer found them with the key; none set is the default. */
    default LimitOverrides limitsOf(HttpRequest request) {
        return LimitOverrides.fromText(request.authorizerContext());
    }

    static TenantResolver fromAuthorizer() {
        return request -> {
            String tenant = request.authorizerContext().get(TENANT_CONTEXT_KEY);
            if (!Identifiers.isValid(tenant)) {
                throw new ApiException(ErrorCode.UNAUTHORIZED,
                        "a valid API key is required: send Authorization: Bearer <key>");
            }
            return tenant;
        };
    }
}
