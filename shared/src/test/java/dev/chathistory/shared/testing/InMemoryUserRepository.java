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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An honest fake of {@link UserRepository}, with read and write counters for cache tests. Its
 * contract with the DynamoDB repository is {@code UserRepositoryContract}.
 */
public final class InMemoryUserRepository implements UserRepository, HeldItems {

    /** One recorded activity write. */
    public record ActivityWrite(UserRef user, Instant at, long newMessages, String activeShard) {
    }

    private final Map<UserRef, UserSettings> settings = new HashMap<>();
    private final List<ActivityWrite> activityWrites = new ArrayList<>();
    private final Map<UserRef, Activity> activity = new HashMap<>();
    /** A chat directory entry: when the user was first seen in it, and the import that filed it. */
    private record ChatEntry(Instant firstSeenAt, String importId) {
    }

    private final Map<UserRef, TreeMap<String, ChatEntry>> chats = new HashMap<>();
    /** Profiles an import created, by the import's id; settings or a drop take the mark away. */
    private final Map<UserRef, String> profileImports = new HashMap<>();
    private int chatWrites;
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
        UserSettings stored = settings.get(user);
        if (expectedVersion.isPresent() && stored != null && stored.version() == expectedVersion.getAsLong() + 1
                && stored.settings().equals(value) && now.equals(stored.updatedAt())) {
            // Like DynamoDB: a retried write that finds exactly its own result succeeded.
            return stored;
        }
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
        Activity before = activity.getOrDefault(user, new Activity(0, Optional.empty()));
        activity.put(user, new Activity(before.messageCount() + newMessages, Optional.of(at)));
    }

    @Override
    public synchronized Optional<Activity> findActivity(UserRef user) {
        return Optional.ofNullable(activity.get(user));
    }

    @Override
    public synchronized void setActivity(UserRef user, long messageCount, Instant lastActiveAt, String activeShard) {
        Optional<Instant> stored = activity.containsKey(user) ? activity.get(user).lastActiveAt() : Optional.empty();
        Optional<Instant> latest = lastActiveAt == null || stored.filter(s -> !s.isBefore(lastActiveAt)).isPresent()
                ? stored : Optional.of(lastActiveAt);
        activity.put(user, new Activity(messageCount, latest));
    }

    @Override
    public synchronized void rememberChat(UserRef user, String chatId, Instant at) {
        chatWrites++;
        // Like DynamoDB's if_not_exists: a chat filed before keeps its first sighting and its mark.
        chats.computeIfAbsent(user, k -> new TreeMap<>()).putIfAbsent(chatId, new ChatEntry(at, null));
    }

    @Override
    public synchronized List<String> listChats(UserRef user) {
        return List.copyOf(chats.getOrDefault(user, new TreeMap<>()).keySet());
    }

    @Override
    public synchronized void forgetChat(UserRef user, String chatId) {
        chats.getOrDefault(user, new TreeMap<>()).remove(chatId);
    }

    @Override
    public synchronized boolean fileImportedChat(UserRef user, String chatId, Instant firstSeenAt, String importId) {
        ChatEntry mine = new ChatEntry(firstSeenAt, importId);
        ChatEntry existing = chats.computeIfAbsent(user, k -> new TreeMap<>()).putIfAbsent(chatId, mine);
        // Like DynamoDB: a retried put that finds exactly its own entry filed it.
        return existing == null || existing.equals(mine);
    }

    @Override
    public synchronized void forgetImportedChat(UserRef user, String chatId, String importId) {
        ChatEntry existing = chats.getOrDefault(user, new TreeMap<>()).get(chatId);
        if (existing != null && importId.equals(existing.importId())) {
            forgetChat(user, chatId);
        }
    }

    @Override
    public synchronized boolean createImportedProfile(UserRef user, long messageCount, Instant lastActiveAt,
                                                      String importId) {
        Activity imported = new Activity(messageCount, Optional.of(lastActiveAt));
        if (settings.containsKey(user) || activity.containsKey(user)) {
            // Like DynamoDB: a retried put that finds exactly its own profile created it.
            return !settings.containsKey(user) && importId.equals(profileImports.get(user))
                    && imported.equals(activity.get(user));
        }
        activity.put(user, imported);
        profileImports.put(user, importId);
        return true;
    }

    @Override
    public synchronized void dropImportedProfile(UserRef user, String importId) {
        if (!importId.equals(profileImports.get(user))) {
            return;
        }
        profileImports.remove(user);
        if (!settings.containsKey(user)) {
            activity.remove(user);
        }
    }

    @Override
    public synchronized void deleteProfile(UserRef user) {
        settings.remove(user);
        activity.remove(user);
        profileImports.remove(user);
    }

    @Override
    public synchronized boolean hasAnyData(UserRef user) {
        return settings.containsKey(user) || activity.containsKey(user)
                || !chats.getOrDefault(user, new TreeMap<>()).isEmpty();
    }

    /** Settings, counters, import marks, chat directories and the log of activity writes. */
    @Override
    public synchronized List<HeldItem> heldItems() {
        List<HeldItem> items = new ArrayList<>();
        settings.forEach((user, value) -> items.add(HeldItem.of("settings", user, value, user.tenantId())));
        activity.forEach((user, value) -> items.add(HeldItem.of("activity", user, value, user.tenantId())));
        profileImports.forEach((user, value) -> items.add(HeldItem.of("profileImports", user, value,
                user.tenantId())));
        chats.forEach((user, entries) -> entries.forEach((chatId, entry) -> items.add(HeldItem.of("chats",
                user + "/" + chatId, entry, user.tenantId()))));
        activityWrites.forEach(write -> items.add(HeldItem.of("activityWrites", write.user(), write,
                write.user().tenantId())));
        return items;
    }

    public synchronized int chatWrites() {
        return chatWrites;
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
