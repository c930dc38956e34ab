package dev.chathistory.shared.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** What every AWS client is built with: region, optional emulator endpoint, timeouts, attempts. */
public record ClientSettings(String region, Optional<URI> endpointOverride, Duration apiCallTimeout,
                             Duration apiCallAttemptTimeout, int maxAttempts) {

    /** Settings for tooling (the local stack) talking to an emulator. */
    public static ClientSettings forEmulator(String region, URI endpoint) {
        return new ClientSettings(region, Optional.of(endpoint), Duration.ofSeconds(30), Duration.ofSeconds(10), 3);
    }
}
