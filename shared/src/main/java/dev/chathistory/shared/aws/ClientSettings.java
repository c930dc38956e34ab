package dev.chathistory.shared.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * What every AWS client is built with: region, optional emulator endpoint, credentials,
 * timeouts, attempts, where the clients publish their per-call metrics, and the interceptors
 * every client runs (tracing). Without credentials the SDK's default chain finds them (a Lambda
 * function's execution role on AWS).
 */
public record ClientSettings(String region, Optional<URI> endpointOverride,
                             Optional<AwsCredentialsProvider> credentials, Duration apiCallTimeout,
                             Duration apiCallAttemptTimeout, int maxAttempts, List<MetricPublisher> metricPublishers,
                             List<ExecutionInterceptor> interceptors) {

    public ClientSettings {
        metricPublishers = List.copyOf(metricPublishers);
        interceptors = List.copyOf(interceptors);
    }

    public ClientSettings(String region, Optional<URI> endpointOverride, Optional<AwsCredentialsProvider> credentials,
                          Duration apiCallTimeout, Duration apiCallAttemptTimeout, int maxAttempts) {
        this(region, endpointOverride, credentials, apiCallTimeout, apiCallAttemptTimeout, maxAttempts, List.of(),
                List.of());
    }

    public ClientSettings(String region, Optional<URI> endpointOverride, Duration apiCallTimeout,
                          Duration apiCallAttemptTimeout, int maxAttempts) {
        this(region, endpointOverride, Optional.empty(), apiCallTimeout, apiCallAttemptTimeout, maxAttempts);
    }

    /** Settings for tooling (the local stack) talking to an emulator. */
    public static ClientSettings forEmulator(String region, URI endpoint) {
        return new ClientSettings(region, Optional.of(endpoint), Duration.ofSeconds(30), Duration.ofSeconds(10), 3);
    }

    /** The same settings acting with {@code provider}'s credentials. */
    public ClientSettings withCredentials(AwsCredentialsProvider provider) {
        return new ClientSettings(region, endpointOverride, Optional.of(provider), apiCallTimeout,
                apiCallAttemptTimeout, maxAttempts, metricPublishers, interceptors);
    }

    /** The same settings, with every client also publishing its call metrics to {@code publisher}. */
    public ClientSettings withMetricPublisher(MetricPublisher publisher) {
        List<MetricPublisher> publishers = new ArrayList<>(metricPublishers);
        publishers.add(publisher);
        return new ClientSettings(region, endpointOverride, credentials, apiCallTimeout, apiCallAttemptTimeout,
                maxAttempts, publishers, interceptors);
    }

    /** The same settings, with every client also running {@code added} (after those it has). */
    public ClientSettings withInterceptors(List<ExecutionInterceptor> added) {
        List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
        all.addAll(added);
        return new ClientSettings(region, endpointOverride, credentials, apiCallTimeout, apiCallAttemptTimeout,
                maxAttempts, metricPublishers, all);
    }
}
