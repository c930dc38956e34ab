package dev.chathistory.shared.testing;

import dev.chathistory.shared.config.ServiceConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Configurations for tests: production defaults, with the tables and endpoint given. */
public final class TestConfigs {

    public static final String TENANT = "tenant-test";

    private TestConfigs() {
    }

    public static ServiceConfig inMemory() {
        return config(Optional.empty(), "messages", "users");
    }

    public static ServiceConfig config(Optional<URI> endpoint, String messagesTable, String usersTable) {
        return new ServiceConfig("us-east-1", endpoint, Optional.empty(), messagesTable, usersTable,
                ServiceConfig.Limits.defaults(), Duration.ofHours(24), Duration.ofSeconds(60),
                Duration.ofSeconds(60), 8, Duration.ofSeconds(10), Duration.ofSeconds(5), 4);
    }
}
