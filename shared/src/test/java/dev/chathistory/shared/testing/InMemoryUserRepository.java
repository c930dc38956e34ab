package dev.chathistory.shared.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.repository.StaleSettingsVersionException;
import dev.chathistory.shared.repository.UserRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** An honest fake of {@link UserRepository}, with read and write counters for cache tests. */
public final class InMemoryUserRepository implements UserRepository {

    /** One recorded activity write. */
    public record ActivityWrite(UserRef user, Instant at, long newMessages, String activeShard) {
    }

    private final Map<UserRef, UserSettings> settings = new HashMap<>();
    private final List<ActivityWrite> activityWrites = new ArrayList<>();
    private int settingsReads;
    private RuntimeException activityFailure;

    @Override
    public synchronized UserSettings findSettings(UserRef user) {
        settingsReads++;
        return settings.getOrDefault(user, UserSettings.empty(user.userId(), Json.object()));
    }

    @Override
    public synchronized UserSettings putSettings(UserRef user, ObjectNode value, OptionalLong expectedVersion,
                                                 Instant now) {
        long current = settings.containsKey(user) ? settings.get(user).version() : 0;
        if (expectedVersion.isPresent() && expectedVersion.getAsLong() != current) {
            throw new StaleSettingsVersionException(current);
        }
        UserSettings saved = new UserSettings(user.userId(), value.deepCopy(), current + 1, now);
        settings.put(user, saved);
        return saved;
    }

    @Override
    public synchronized void recordActivity(UserRef user, Instant at, long newMessages, String activeShard) {
        if (activityFailure != null) {
            throw activityFailure;
        }
        activityWrites.add(new ActivityWrite(user, at, newMessages, activeShard));
    }

    public synchronized int settingsReads() {
        return settingsReads;
    }

    public synchronized List<ActivityWrite> activityWrites() {
        return List.copyOf(activityWrites);
    }

    /** Makes activity writes fail (null to heal). */
    public synchronized void failActivityWrites(RuntimeException failure) {
        this.activityFailure = failure;
    }
}
