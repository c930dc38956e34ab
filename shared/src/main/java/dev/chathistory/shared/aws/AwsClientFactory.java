package dev.chathistory.shared.aws;

import dev.chathistory.shared.config.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place that builds AWS clients. Functions build each client once per container
 * (in static or constructor scope), never per request.
 *
 * <p>Retries of AWS calls are the SDK's job: the standard strategy retries throttling and
 * transient faults with exponential backoff and full jitter, within the call timeout. What is
 * still failing after them because the service is throttling, failing or out of reach arrives
 * as a {@link dev.chathistory.shared.error.StorageUnavailableException} ({@link StorageFailures}).
 */
public final class AwsClientFactory {

    private static final Duration BACKOFF_BASE = Duration.ofMillis(25);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(1);
    private static final Duration THROTTLING_BACKOFF_BASE = Duration.ofMillis(100);
    private static final Duration THROTTLING_BACKOFF_MAX = Duration.ofSeconds(2);

    private AwsClientFactory() {
    }

    public static DynamoDbClient dynamoDb(ServiceConfig config) {
        return dynamoDb(config.clientSettings(), List.of());
    }

    public static DynamoDbClient dynamoDb(ServiceConfig config, List<ExecutionInterceptor> interceptors) {
        return dynamoDb(config.clientSettings(), interceptors);
    }

    public static SqsClient sqs(ServiceConfig config) {
        return sqs(config.clientSettings());
    }

    public static S3Client s3(ServiceConfig config) {
        return s3(config.clientSettings());
    }

    /** With request interceptors (tests count calls with them). */
    public static DynamoDbClient dynamoDb(ClientSettings config, List<ExecutionInterceptor> interceptors) {
        return StorageFailures.translating(DynamoDbClient.class, "DynamoDB",
                configure(DynamoDbClient.builder(), config, interceptors).build());
    }

    public static SqsClient sqs(ClientSettings config) {
        return StorageFailures.translating(SqsClient.class, "SQS",
                configure(SqsClient.builder(), config, List.of()).build());
    }

    public static S3Client s3(ClientSettings config) {
        var builder = configure(S3Client.builder(), config, List.of());
        // Emulators serve buckets by path; virtual hosts like bucket.localhost do not resolve.
        config.endpointOverride().ifPresent(endpoint -> builder.forcePathStyle(true));
        return StorageFailures.translating(S3Client.class, "S3", builder.build());
    }

    /**
     * Signs download links. Signing is local computation, so the presigner needs no HTTP client;
     * it takes the same region, endpoint and path style as the S3 client.
     */
    public static S3Presigner s3Presigner(ClientSettings config) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(config.region()))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(config.endpointOverride().isPresent())
                        .build());
        config.endpointOverride().ifPresent(builder::endpointOverride);
        config.credentials().ifPresent(builder::credentialsProvider);
        return builder.build();
    }

    /** What every client shares: region, HTTP client, timeouts, retries, emulator endpoint. */
    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, ClientSettings config, List<ExecutionInterceptor> interceptors) {
        List<ExecutionInterceptor> all = new ArrayList<>(config.interceptors());
        all.addAll(interceptors);
        builder.region(Region.of(config.region()))
                .httpClient(httpClient(config))
                .overrideConfiguration(overrides(config).toBuilder().executionInterceptors(all)
                        .metricPublishers(config.metricPublishers()).build());
        // AWS_ENDPOINT_URL is the SDK-wide convention, so LocalStack, MiniStack or moto work
        // without code changes; unset in a deployed stack.
        config.endpointOverride().ifPresent(builder::endpointOverride);
        config.credentials().ifPresent(builder::credentialsProvider);
        return builder;
    }

    /** The JDK's own default for {@code http.maxConnections}. */
    static final int JDK_DEFAULT_KEEP_ALIVE = 5;

    /**
     * Lets the JDK keep {@code connections} idle connections per host instead of its default 5.
     * The url-connection client pools through the JDK's keep-alive cache, which closes every
     * connection returned beyond {@code http.maxConnections}, so a container running more calls at
     * once than that opens a new connection (a TLS handshake on AWS) for each extra call. The JDK
     * reads the property once, when the first connection goes back to the cache: call this before
     * any client is used. Never lowers a larger value set elsewhere ({@code -Dhttp.maxConnections}).
     *
     * @return the value now in effect
     */
    public static int keepAliveConnections(int connections) {
        synchronized (System.getProperties()) {
            int current = JDK_DEFAULT_KEEP_ALIVE;
            String set = System.getProperty("http.maxConnections");
            if (set != null) {
                try {
                    current = Integer.parseInt(set.trim());
                } catch (NumberFormatException e) {
                    current = JDK_DEFAULT_KEEP_ALIVE;
                }
            }
            if (connections > current) {
                System.setProperty("http.maxConnections", Integer.toString(connections));
                return connections;
            }
            return current;
        }
    }

    /**
     * url-connection is the smallest client and starts fastest; a Lambda container serves one
     * request at a time, so it needs no pool of its own, only as many kept-alive connections as
     * calls it runs at once ({@link #keepAliveConnections}, for the batch function's workers).
     */
    static SdkHttpClient httpClient(ClientSettings config) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(config.apiCallAttemptTimeout())
                .build();
    }

    static ClientOverrideConfiguration overrides(ClientSettings config) {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(config.apiCallTimeout())
                .apiCallAttemptTimeout(config.apiCallAttemptTimeout())
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(config.maxAttempts())
                        .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                        .throttlingBackoffStrategy(
                                BackoffStrategy.exponentialDelay(THROTTLING_BACKOFF_BASE, THROTTLING_BACKOFF_MAX))
                        .build())
                .build();
    }
}
