package dev.chathistory.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/** Sends a request, retrying transient failures as the {@link RetryPolicy} and {@link Retryability} allow. */
final class Transport {

    private final HttpClient http;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final ErrorResponses errors;

    Transport(HttpClient http, RetryPolicy policy, Sleeper sleeper, RandomGenerator random, ErrorResponses errors) {
        this.http = http;
        this.policy = policy;
        this.sleeper = sleeper;
        this.random = random;
        this.errors = errors;
    }

    /**
     * The first 2xx response. The same {@code request} object goes out on every attempt, so
     * its headers (the idempotency key above all) and body are identical each time.
     *
     * @throws ChatHistoryException for the last failure once no retry is allowed
     */
    HttpResponse<byte[]> send(HttpRequest request, Retryability retryability) {
        for (int attempt = 1; ; attempt++) {
            boolean lastAttempt = attempt >= policy.maxAttempts();
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (lastAttempt || !retryability.retriesAfter(e)) {
                    throw errors.noResponse(e);
                }
                pause(jitteredBackoff(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw errors.interrupted(e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response;
            }
            if (lastAttempt || !retryability.retries(status)) {
                throw errors.from(response);
            }
            pause(delayAfter(response, attempt));
        }
    }

    /** What the service asked for in {@code Retry-After} (capped), else the usual backoff. */
    private Duration delayAfter(HttpResponse<byte[]> response, int attempt) {
        OptionalLong seconds = retryAfterSeconds(response);
        if (seconds.isPresent()) {
            Duration asked = Duration.ofSeconds(seconds.getAsLong());
            return asked.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : asked;
        }
        return jitteredBackoff(attempt);
    }

    /**
     * Full jitter: a uniformly random wait up to the ceiling, so clients that failed together
     * do not all come back at the same instant.
     */
    private Duration jitteredBackoff(int attempt) {
        long ceiling = policy.backoffCeiling(attempt).toMillis();
        return Duration.ofMillis((long) (random.nextDouble() * ceiling));
    }

    /** Only delta-seconds; an HTTP-date (which this service never sends) falls back to backoff. */
    private static OptionalLong retryAfterSeconds(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Retry-After")
                .map(String::trim)
                .filter(value -> value.matches("\\d{1,9}"))
                .map(value -> OptionalLong.of(Long.parseLong(value)))
                .orElse(OptionalLong.empty());
    }

    private void pause(Duration delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw errors.interrupted(e);
        }
    }
}
