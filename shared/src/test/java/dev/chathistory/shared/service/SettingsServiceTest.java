package dev.chathistory.shared.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.cache.MeteredCache;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.VersionConflictException;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SettingsServiceTest {

    private static final UserRef USER = new UserRef("tenant-a", "user-1");

    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final SettingsService service = new SettingsService(users,
            new MeteredCache<>(SettingsService.CACHE_NAME, Duration.ofMinutes(1), 100, metrics),
            new ServiceConfig.Limits(64, 64, 40, 4096), metrics,
            new MutableClock(Instant.parse("2026-11-28T10:00:00Z")));

    @Test
    void get_shouldReturnEmptyVersionZero_forAnUnknownUser() {
        UserSettings settings = service.get(USER);

        assertThat(settings.version()).isZero();
        assertThat(settings.settings()).isEmpty();
    }

    @Test
    void get_shouldServeFromCache_afterTheFirstRead() {
        service.get(USER);
        service.get(USER);
        service.get(USER);

        assertThat(users.settingsReads()).isEqualTo(1);
        assertThat(metrics.count("SettingsCacheMisses")).isEqualTo(1);
        assertThat(metrics.count("SettingsCacheHits")).isEqualTo(2);
    }

    @Test
    void put_shouldBeVisibleToTheNextGet_withoutARead() {
        service.get(USER);
        ObjectNode value = Json.object().put("language", "de");

        UserSettings saved = service.put(USER, value, OptionalLong.of(0));
        UserSettings read = service.get(USER);

        assertThat(saved.version()).isEqualTo(1);
        assertThat(read).isEqualTo(saved);
        assertThat(read.settings().get("language").asText()).isEqualTo("de");
        assertThat(users.settingsReads()).isEqualTo(1);
    }

    @Test
    void put_shouldFailWith412_whenVersionIsStale_andNotChangeAnything() {
        service.put(USER, Json.object().put("a", 1), OptionalLong.of(0));

        assertThatThrownBy(() -> service.put(USER, Json.object().put("a", 2), OptionalLong.of(0)))
                .isInstanceOfSatisfying(VersionConflictException.class,
                        e -> assertThat(e.currentVersion()).isEqualTo(1));
        assertThat(service.get(USER).settings().get("a").asInt()).isEqualTo(1);
        assertThat(metrics.count("VersionConflicts")).isEqualTo(1);
    }

    @Test
    void put_shouldOverwriteUnconditionally_whenNoVersionIsExpected() {
        service.put(USER, Json.object().put("a", 1), OptionalLong.of(0));

        UserSettings saved = service.put(USER, Json.object().put("a", 3), OptionalLong.empty());

        assertThat(saved.version()).isEqualTo(2);
    }

    @Test
    void put_shouldRejectOversizedSettings() {
        ObjectNode big = Json.object().put("k", "v".repeat(50));

        assertThatThrownBy(() -> service.put(USER, big, OptionalLong.empty()))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.SETTINGS_TOO_LARGE);
        assertThat(service.get(USER).version()).isZero();
    }
}
