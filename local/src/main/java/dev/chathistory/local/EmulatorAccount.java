package dev.chathistory.local;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The account an emulator plays (moto 123456789012, MiniStack 000000000000, ...), asked once
 * with GetCallerIdentity. The local stack builds ARNs (tables, SQS policy resources) with it,
 * so they match the ARNs the emulator itself hands out (queues).
 */
final class EmulatorAccount {

    private static final Map<URI, String> KNOWN = new ConcurrentHashMap<>();

    private EmulatorAccount() {
    }

    static String of(URI emulator, String region) {
        return KNOWN.computeIfAbsent(emulator, endpoint -> {
            try (StsClient sts = StsClient.builder()
                    .endpointOverride(endpoint)
                    .region(Region.of(region))
                    .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build())
                    .build()) {
                return sts.getCallerIdentity().account();
            }
        });
    }
}
