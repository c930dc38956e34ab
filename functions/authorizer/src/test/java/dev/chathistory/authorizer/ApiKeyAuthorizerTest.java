package dev.chathistory.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import dev.chathistory.shared.auth.ApiKey;
import dev.chathistory.shared.auth.ApiKeyRepository;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.auth.Tenant;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.limits.LimitOverrides;
import dev.chathistory.shared.testing.InMemoryApiKeyRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiKeyAuthorizerTest {

    private final CountingRepository repository = new CountingRepository();
    private final ApiKeys keys = new ApiKeys(repository, MessageIdGenerator.ulid(),
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
    void aTenantsOwnLimits_shouldGoInTheContext_asText() {
        keys.createTenant("acme", "Acme");
        String key = keys.issue("acme", "prod").key();
        keys.setLimits("acme", new LimitOverrides(1000, 0, 3));

        assertThat(authorize("Bearer " + key)).isEqualTo(Map.of("isAuthorized", true, "context",
                Map.of("tenantId", "acme", "requestsPerWindow", "1000", "userJobsPerWindow", "3")));
        assertThat(authorize("Bearer " + keys.issue("acme", "second").key())).as("a key issued later too")
                .isEqualTo(authorize("Bearer " + key));
    }

    @Test
    void missingMalformedUnknownAndRevokedKeys_shouldBeDenied() {
        keys.createTenant("acme", "Acme");
        ApiKeys.Issued revoked = keys.issue("acme", "old");
        keys.revoke("acme", revoked.record().keyId());

        for (String authorization : new String[] {null, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz",
                revoked.key(), "Bearer " + revoked.key(), "Bearer chk_" + "A".repeat(43), "Bearer \u0000"}) {
            assertThat(authorize(authorization)).as(String.valueOf(authorization))
                    .isEqualTo(Map.of("isAuthorized", false));
        }
        APIGatewayV2CustomAuthorizerEvent noHeaders = new APIGatewayV2CustomAuthorizerEvent();
        assertThat(authorizer.handleRequest(noHeaders, new LocalLambdaContext()))
                .isEqualTo(Map.of("isAuthorized", false));
    }

    @Test
    void aMalformedKey_shouldBeDenied_withoutLookingAnythingUp() {
        keys.createTenant("acme", "Acme");
        String key = keys.issue("acme", "prod").key();
        int lookupsBefore = repository.lookups();

        for (String malformed : new String[] {"not-a-key", "chk_short", "chk_" + "A".repeat(44),
                "xyz_" + "A".repeat(43), "chk_" + "A".repeat(42) + "=", "chk_" + "A".repeat(42) + "\u00e9",
                key.substring(0, key.length() - 1)}) {
            assertThat(authorize("Bearer " + malformed)).as(malformed).isEqualTo(Map.of("isAuthorized", false));
        }
        assertThat(repository.lookups()).as("lookups for malformed keys").isEqualTo(lookupsBefore);

        assertThat(authorize("Bearer chk_" + "B".repeat(43))).isEqualTo(Map.of("isAuthorized", false));
        assertThat(repository.lookups()).as("a well-formed unknown key is looked up").isEqualTo(lookupsBefore + 1);
    }

    /** Counts lookups by hash: the DynamoDB read the authorizer makes per key. */
    private static final class CountingRepository implements ApiKeyRepository {
        private final InMemoryApiKeyRepository keys = new InMemoryApiKeyRepository();
        private final AtomicInteger lookups = new AtomicInteger();

        int lookups() {
            return lookups.get();
        }

        @Override
        public boolean createTenant(Tenant tenant) {
            return keys.createTenant(tenant);
        }

        @Override
        public Optional<Tenant> findTenant(String tenantId) {
            return keys.findTenant(tenantId);
        }

        @Override
        public boolean addKey(ApiKey key) {
            return keys.addKey(key);
        }

        @Override
        public Optional<ApiKey> findByHash(String sha256) {
            lookups.incrementAndGet();
            return keys.findByHash(sha256);
        }

        @Override
        public List<ApiKey> listKeys(String tenantId) {
            return keys.listKeys(tenantId);
        }

        @Override
        public boolean revoke(String tenantId, String keyId) {
            return keys.revoke(tenantId, keyId);
        }

        @Override
        public boolean setLimits(String tenantId, LimitOverrides limits) {
            return keys.setLimits(tenantId, limits);
        }
    }
}
