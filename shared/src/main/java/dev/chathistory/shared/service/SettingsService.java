package dev.chathistory.shared.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.cache.MeteredCache;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.error.VersionConflictException;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.metrics.ServiceMetrics;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.repository.StaleSettingsVersionException;
import dev.chathistory.shared.repository.UserRepository;
import java.time.Clock;
import java.util.OptionalLong;

/**
 * Per-user settings, read through the container's cache. A write goes to DynamoDB (which alone
 * decides optimistic-locking conflicts) and then into the cache, so the next read in this
 * container sees it.
 */
public final class SettingsService {

    public static final String CACHE_NAME = "Settings";

    private final UserRepository users;
    private final MeteredCache<UserRef, UserSettings> cache;
    private final InputLimits limits;
    private final ServiceMetrics metrics;
    private final Clock clock;

    public SettingsService(UserRepository users, MeteredCache<UserRef, UserSettings> cache,
                           ServiceConfig.Limits limits, ServiceMetrics metrics, Clock clock) {
        this.users = users;
        this.cache = cache;
        this.limits = new InputLimits(limits);
        this.metrics = metrics;
        this.clock = clock;
    }

    public UserSettings get(UserRef user) {
        Identifiers.require("userId", user.userId());
        return cache.get(user, users::findSettings);
    }

    /**
     * Replaces the settings object. {@code expectedVersion} empty means "whatever is stored"
     * ({@code If-Match: *}); 0 means "only if none are stored yet".
     */
    public UserSettings put(UserRef user, ObjectNode settings, OptionalLong expectedVersion) {
        Identifiers.require("userId", user.userId());
        limits.checkSettings(settings);
        try {
            UserSettings saved = users.putSettings(user, settings, expectedVersion,
                    Timestamps.truncate(clock.instant()));
            cache.put(user, saved);
            return saved;
        } catch (StaleSettingsVersionException e) {
            cache.invalidate(user);
            metrics.versionConflict();
            throw new VersionConflictException("settings", expectedVersion.orElse(-1), e.currentVersion());
        }
    }
}
