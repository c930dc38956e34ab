package dev.chathistory.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("MESSAGES_TABLE", "messages");
        env.put("USERS_TABLE", "users");
        return env;
    }

    @Test
    void fromEnvironment_shouldApplyDefaults() {
        ServiceConfig config = ServiceConfig.fromEnvironment(minimal());

        assertThat(config.endpointOverride()).isEmpty();
        assertThat(config.limits()).isEqualTo(ServiceConfig.Limits.defaults());
        assertThat(config.limits().maxTextBytes()).isEqualTo(32 * 1024);
        assertThat(config.limits().maxBodyBytes()).isEqualTo(256 * 1024);
        assertThat(config.idempotencyTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(config.activeUserShards()).isEqualTo(8);
    }

    @Test
    void fromEnvironment_shouldTakeTheStandardEndpointVariable() {
        Map<String, String> env = minimal();
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
        env.put("AWS_REGION", "eu-west-1");

        ServiceConfig config = ServiceConfig.fromEnvironment(env);

        assertThat(config.endpointOverride()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(config.region()).isEqualTo("eu-west-1");
    }

    @Test
    void fromEnvironment_shouldNameTheVariable_whenAValueIsBad() {
        Map<String, String> env = minimal();
        env.put("MAX_TEXT_BYTES", "lots");
        assertThatThrownBy(() -> ServiceConfig.fromEnvironment(env)).hasMessageContaining("MAX_TEXT_BYTES");

        env.put("MAX_TEXT_BYTES", "500000");
        assertThatThrownBy(() -> ServiceConfig.fromEnvironment(env)).hasMessageContaining("MAX_TEXT_BYTES");

        Map<String, String> noTable = minimal();
        noTable.remove("USERS_TABLE");
        assertThatThrownBy(() -> ServiceConfig.fromEnvironment(noTable)).hasMessageContaining("USERS_TABLE");

        Map<String, String> badEndpoint = minimal();
        badEndpoint.put("AWS_ENDPOINT_URL", "not a url");
        assertThatThrownBy(() -> ServiceConfig.fromEnvironment(badEndpoint))
                .hasMessageContaining("AWS_ENDPOINT_URL");
    }
}
