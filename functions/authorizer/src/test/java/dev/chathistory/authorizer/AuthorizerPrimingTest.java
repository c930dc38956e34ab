package dev.chathistory.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.auth.ApiKeyRepository;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.testing.CallRecorder;
import dev.chathistory.shared.testing.InMemoryApiKeyRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** SnapStart priming goes down to the key lookup, reads once, changes nothing and never throws. */
class AuthorizerPrimingTest {

    private final CallRecorder recorder = new CallRecorder();
    private final InMemoryApiKeyRepository stored = new InMemoryApiKeyRepository();
    private final ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer(new ApiKeys(
            recorder.wrap(ApiKeyRepository.class, stored), MessageIdGenerator.ulid(),
            new MutableClock(Instant.parse("2026-11-28T10:00:00Z"))));

    @Test
    void priming_shouldLookUpAKeyThatExistsNowhere_andWriteNothing() {
        authorizer.beforeCheckpoint(null);

        assertThat(recorder.calls()).containsExactly("ApiKeyRepository.findByHash");
        assertThat(ApiKeys.isWellFormed(ApiKeyAuthorizer.PRIMING_KEY)).isTrue();
    }

    @Test
    void priming_shouldNeverStopTheCheckpoint() {
        ApiKeyRepository offline = (ApiKeyRepository) java.lang.reflect.Proxy.newProxyInstance(
                ApiKeyRepository.class.getClassLoader(), new Class<?>[] {ApiKeyRepository.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("no network before the snapshot");
                });
        ApiKeyAuthorizer failing = new ApiKeyAuthorizer(new ApiKeys(recorder.wrap(ApiKeyRepository.class, offline),
                MessageIdGenerator.ulid(), new MutableClock(Instant.parse("2026-11-28T10:00:00Z"))));

        failing.beforeCheckpoint(null);

        assertThat(recorder.calls()).containsExactly("ApiKeyRepository.findByHash");
    }
}
