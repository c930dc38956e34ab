package dev.chathistory.shared.config;

import dev.chathistory.shared.aws.ClientSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Everything a function reads from its environment, parsed and checked once at cold start.
 * A bad value stops the container with a message that names the variable, rather than
 * failing later on the first request.
 */
public record ServiceConfig(
        String region,
        Optional<URI> endpointOverride,
        Optional<AwsCredentialsProvider> credentials,
        String messagesTable,
        String usersTable,
        Limits limits,
        Duration idempotencyTtl,
        Duration settingsCacheTtl,
        Duration activityWriteInterval,
        int activeUserShards,
        Duration apiCallTimeout,
        Duration apiCallAttemptTimeout,
        int maxAttempts) {

    /** DynamoDB items are capped at 400 KB; text beyond this must go to S3, not the item. */
    public static final int MAX_TEXT_BYTES_CEILING = 300 * 1024;

    public ServiceConfig {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpointOverride, "endpointOverride");
        Objects.requireNonNull(credentials, "credentials");
        requireText("MESSAGES_TABLE", messagesTable);
        requireText("USERS_TABLE", usersTable);
        Objects.requireNonNull(limits, "limits");
        requirePositive("IDEMPOTENCY_TTL_HOURS", idempotencyTtl);
        requirePositive("SETTINGS_CACHE_TTL_SECONDS", settingsCacheTtl);
        requirePositive("ACTIVITY_WRITE_INTERVAL_SECONDS", activityWriteInterval);
        if (activeUserShards < 1 || activeUserShards > 100) {
            throw new IllegalArgumentException("ACTIVE_USER_SHARDS must be between 1 and 100");
        }
        requirePositive("API_CALL_TIMEOUT_MS", apiCallTimeout);
        requirePositive("API_CALL_ATTEMPT_TIMEOUT_MS", apiCallAttemptTimeout);
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("AWS_MAX_ATTEMPTS must be between 1 and 10");
        }
    }

    /** Input limits, all in bytes of UTF-8. */
    public record Limits(int maxTextBytes, int maxMetadataBytes, int maxSettingsBytes, int maxBodyBytes) {
        public Limits {
            if (maxTextBytes < 1 || maxTextBytes > MAX_TEXT_BYTES_CEILING) {
                throw new IllegalArgumentException(
                        "MAX_TEXT_BYTES must be between 1 and " + MAX_TEXT_BYTES_CEILING);
            }
            if (maxMetadataBytes < 2 || maxMetadataBytes > 64 * 1024) {
                throw new IllegalArgumentException("MAX_METADATA_BYTES must be between 2 and 65536");
            }
            if (maxSettingsBytes < 2 || maxSettingsBytes > 64 * 1024) {
                throw new IllegalArgumentException("MAX_SETTINGS_BYTES must be between 2 and 65536");
            }
            if (maxBodyBytes < 1024 || maxBodyBytes > 6 * 1024 * 1024) {
                throw new IllegalArgumentException("MAX_BODY_BYTES must be between 1024 and 6291456");
            }
        }

        public static Limits defaults() {
            return new Limits(32 * 1024, 8 * 1024, 16 * 1024, 256 * 1024);
        }
    }

    /** Reads the configuration the SAM template sets; unset optional values take the defaults. */
    public static ServiceConfig fromEnvironment(Map<String, String> env) {
        Limits defaults = Limits.defaults();
        String endpoint = blankToNull(env.get("AWS_ENDPOINT_URL"));
        return new ServiceConfig(
                Optional.ofNullable(blankToNull(env.get("AWS_REGION"))).orElse("us-east-1"),
                Optional.ofNullable(endpoint).map(ServiceConfig::parseEndpoint),
                endpoint == null ? Optional.empty() : emulatorCredentials(env),
                env.get("MESSAGES_TABLE"),
                env.get("USERS_TABLE"),
                new Limits(
                        intValue(env, "MAX_TEXT_BYTES", defaults.maxTextBytes()),
                        intValue(env, "MAX_METADATA_BYTES", defaults.maxMetadataBytes()),
                        intValue(env, "MAX_SETTINGS_BYTES", defaults.maxSettingsBytes()),
                        intValue(env, "MAX_BODY_BYTES", defaults.maxBodyBytes())),
                Duration.ofHours(intValue(env, "IDEMPOTENCY_TTL_HOURS", 24)),
                Duration.ofSeconds(intValue(env, "SETTINGS_CACHE_TTL_SECONDS", 60)),
                Duration.ofSeconds(intValue(env, "ACTIVITY_WRITE_INTERVAL_SECONDS", 60)),
                intValue(env, "ACTIVE_USER_SHARDS", 8),
                Duration.ofMillis(intValue(env, "API_CALL_TIMEOUT_MS", 5000)),
                Duration.ofMillis(intValue(env, "API_CALL_ATTEMPT_TIMEOUT_MS", 1500)),
                intValue(env, "AWS_MAX_ATTEMPTS", 4));
    }

    /** How AWS clients are built for this configuration. */
    public ClientSettings clientSettings() {
        return new ClientSettings(region, endpointOverride, credentials, apiCallTimeout, apiCallAttemptTimeout,
                maxAttempts);
    }

    /** A copy pointing at other tables, for tests that isolate themselves per class. */
    public ServiceConfig withTables(String messages, String users) {
        return new ServiceConfig(region, endpointOverride, credentials, messages, users, limits,
                idempotencyTtl, settingsCacheTtl, activityWriteInterval, activeUserShards,
                apiCallTimeout, apiCallAttemptTimeout, maxAttempts);
    }

    /** A copy that acts with {@code provider}'s credentials (tests acting as one function's role). */
    public ServiceConfig withCredentials(AwsCredentialsProvider provider) {
        return new ServiceConfig(region, endpointOverride, Optional.of(provider), messagesTable, usersTable, limits,
                idempotencyTtl, settingsCacheTtl, activityWriteInterval, activeUserShards,
                apiCallTimeout, apiCallAttemptTimeout, maxAttempts);
    }

    /**
     * With an emulator endpoint, the keys in the same environment, if any. The local stack runs
     * several functions in one JVM, each with its own role's keys in the environment it was
     * built in, which the SDK's own provider (it reads the process environment) cannot see. A
     * deployed function never has an endpoint override, so there the SDK's default chain finds
     * the execution role's credentials as always (and refreshes them after a SnapStart restore).
     */
    private static Optional<AwsCredentialsProvider> emulatorCredentials(Map<String, String> env) {
        String keyId = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        if (keyId == null || secret == null) {
            return Optional.empty();
        }
        String token = blankToNull(env.get("AWS_SESSION_TOKEN"));
        return Optional.of(StaticCredentialsProvider.create(token == null
                ? AwsBasicCredentials.create(keyId, secret)
                : AwsSessionCredentials.create(keyId, secret, token)));
    }

    private static URI parseEndpoint(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("AWS_ENDPOINT_URL must be an absolute URL: " + value);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AWS_ENDPOINT_URL must be an absolute URL: " + value, e);
        }
    }

    private static int intValue(Map<String, String> env, String name, int defaultValue) {
        return Settings.intValue(env, name, defaultValue);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
