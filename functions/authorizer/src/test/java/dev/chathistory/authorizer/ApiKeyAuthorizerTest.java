package dev.chathistory.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.testing.InMemoryApiKeyRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyAuthorizerTest {

    private final ApiKeys keys = new ApiKeys(new InMemoryApiKeyRepository(), MessageIdGenerator.ulid(),
            new MutableClock(Instant.parse("2026-11-28T10:00:00Z")));
    private final ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer(keys);

    private Map<String, Object> authorize(String authorization) {
        Map<String, String> headers = new HashMap<>();
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
        event.setHeaders(headers);
        return authorizer.handleRequest(event, new LocalLambdaContext());
    }

    @Test
    void anActiveKey_shouldBeAuthorized_withItsTenantInTheContext() {
        keys.createTenant("acme", "Acme");
        String key = keys.issue("acme", "prod").key();

        assertThat(authorize("Bearer " + key))
                .isEqualTo(Map.of("isAuthorized", true, "context", Map.of("tenantId", "acme")));
        assertThat(authorize("bearer " + key)).containsEntry("isAuthorized", true);
    }

    @Test
    void missingMalformedUnknownAndRevokedKeys_shouldPassNoTenant() {
        keys.createTenant("acme", "Acme");
        ApiKeys.Issued revoked = keys.issue("acme", "old");
        keys.revoke("acme", revoked.record().keyId());

        for (String authorization : new String[] {null, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz",
                revoked.key(), "Bearer " + revoked.key(), "Bearer chk_" + "A".repeat(43), "Bearer \u0000"}) {
            assertThat(authorize(authorization)).as(String.valueOf(authorization))
                    .isEqualTo(Map.of("isAuthorized", true, "context", Map.of()));
        }
        APIGatewayV2CustomAuthorizerEvent noHeaders = new APIGatewayV2CustomAuthorizerEvent();
        assertThat(authorizer.handleRequest(noHeaders, new LocalLambdaContext()))
                .isEqualTo(Map.of("isAuthorized", true, "context", Map.of()));
    }
}
