package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.repository.StaleSettingsVersionException;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.UserRepository.Activity;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link UserRepository} rely on, run against the in-memory fake and against
 * DynamoDB on the emulator. The DynamoDB implementation is the truth.
 */
public abstract class UserRepositoryContract {

    protected static final Instant NOW = Instant.parse("2026-12-01T10:00:00.000Z");

    /** A new repository over empty storage; each test gets its own. */
    protected abstract UserRepository newRepository();

    private UserRepository repository;
    private UserRef user;
    private UserRef sameIdOtherTenant;

    @BeforeEach
    void freshRepository() {
        repository = newRepository();
        String run = Long.toString(System.nanoTime(), 36);
        user = new UserRef("tenant-a-" + run, "u1");
        sameIdOtherTenant = new UserRef("tenant-b-" + run, "u1");
    }

    private static ObjectNode settings(String theme) {
        return Json.object().put("theme", theme);
    }

    // ------------------------------------------------------------------ settings

    @Test
    void findSettings_shouldReturnAnEmptyObjectAtVersionZero_whenNoneWereEverWritten() {
        UserSettings found = repository.findSettings(user);

        assertThat(found.version()).isZero();
        assertThat(found.settings()).isEqualTo(Json.object());
        assertThat(found.updatedAt()).isNull();
        assertThat(found.userId()).isEqualTo("u1");
    }

    @Test
    void putSettings_shouldCreateAtVersionOne_whenExpectingZero_andReturnWhatItStored() {
        UserSettings saved = repository.putSettings(user, settings("dark"), OptionalLong.of(0), NOW);

        assertThat(saved).isEqualTo(new UserSettings("u1", settings("dark"), 1, NOW));
        assertThat(repository.findSettings(user)).isEqualTo(saved);
    }

    @Test
    void putSettings_shouldMoveToTheNextVersion_whenTheExpectedVersionMatches() {
        repository.putSettings(user, settings("dark"), OptionalLong.of(0), NOW);

        UserSettings saved = repository.putSettings(user, settings("light"), OptionalLong.of(1), NOW.plusSeconds(1));

        assertThat(saved.version()).isEqualTo(2);
        assertThat(repository.findSettings(user).settings()).isEqualTo(settings("light"));
    }

    @Test
    void putSettings_shouldThrowWithTheCurrentVersion_whenTheExpectedVersionIsStale() {
        repository.putSettings(user, settings("dark"), OptionalLong.of(0), NOW);
        repository.putSettings(user, settings("light"), OptionalLong.of(1), NOW.plusSeconds(1));

        assertThatThrownBy(() -> repository.putSettings(user, settings("blue"), OptionalLong.of(1),
                NOW.plusSeconds(2)))
                .isInstanceOfSatisfying(StaleSettingsVersionException.class,
                        e -> assertThat(e.currentVersion()).isEqualTo(2));
        assertThatThrownBy(() -> repository.putSettings(user, settings("blue"), OptionalLong.of(0),
                NOW.plusSeconds(2)))
                .as("creating when settings exist")
                .isInstanceOfSatisfying(StaleSettingsVersionException.class,
                        e -> assertThat(e.currentVersion()).isEqualTo(2));
        assertThat(repository.findSettings(user).settings()).isEqualTo(settings("light"));
    }

    @Test
    void putSettings_shouldThrowWithVersionZero_whenExpectingAVersionOfSettingsNeverWritten() {
        assertThatThrownBy(() -> repository.putSettings(user, settings("dark"), OptionalLong.of(3), NOW))
                .isInstanceOfSatisfying(StaleSettingsVersionException.class,
                        e -> assertThat(e.currentVersion()).isZero());
    }

    @Test
    void putSettings_shouldWriteWhateverIsStored_whenNoVersionIsExpected() {
        repository.putSettings(user, settings("dark"), OptionalLong.empty(), NOW);

        UserSettings saved = repository.putSettings(user, settings("light"), OptionalLong.empty(), NOW.plusSeconds(1));

        assertThat(saved.version()).isEqualTo(2);
    }

    @Test
    void putSettings_shouldReturnTheSettingsItWrote_whenTheSameConditionalWriteIsRepeated() {
        // A write whose answer was lost and which the SDK retried finds exactly its own result.
        UserSettings first = repository.putSettings(user, settings("dark"), OptionalLong.of(0), NOW);

        UserSettings again = repository.putSettings(user, settings("dark"), OptionalLong.of(0), NOW);

        assertThat(again).isEqualTo(first);
        assertThat(repository.findSettings(user).version()).isEqualTo(1);
    }

    @Test
    void putSettings_shouldCreateSettings_whenOnlyActivityWasStored() {
        repository.recordActivity(user, NOW, 1, "2026-12-01#00");

        UserSettings saved = repository.putSettings(user, settings("dark"), OptionalLong.of(0), NOW);

        assertThat(saved.version()).isEqualTo(1);
        assertThat(repository.findActivity(user)).contains(new Activity(1, Optional.of(NOW)));
    }

    // ------------------------------------------------------------------ activity

    @Test
    void findActivity_shouldBeEmpty_whenTheUserHasNoProfile() {
        assertThat(repository.findActivity(user)).isEmpty();
    }

    @Test
    void findActivity_shouldBeEmpty_whenTheProfileHoldsOnlySettings() {
        // DynamoDB reads only the two activity attributes; a profile with neither reads as none.
        repository.putSettings(user, settings("dark"), OptionalLong.empty(), NOW);

        assertThat(repository.findActivity(user)).isEmpty();
    }

    @Test
    void recordActivity_shouldAddTheMessages_andSetTheLastActivity() {
        repository.recordActivity(user, NOW, 2, "2026-12-01#00");
        repository.recordActivity(user, NOW.plusSeconds(5), 3, "2026-12-01#00");

        assertThat(repository.findActivity(user)).contains(new Activity(5, Optional.of(NOW.plusSeconds(5))));
    }

    @Test
    void setActivity_shouldSetTheCount_andMoveTheLastActivityOnlyForward() {
        repository.recordActivity(user, NOW, 2, "2026-12-01#00");

        repository.setActivity(user, 10, NOW.minusSeconds(60), "2026-12-01#00");
        assertThat(repository.findActivity(user)).contains(new Activity(10, Optional.of(NOW)));

        repository.setActivity(user, 11, NOW.plusSeconds(60), "2026-12-01#00");
        assertThat(repository.findActivity(user)).contains(new Activity(11, Optional.of(NOW.plusSeconds(60))));
    }

    @Test
    void setActivity_shouldCreateTheProfile_whenThereIsNone_evenWithoutALastActivity() {
        repository.setActivity(user, 4, null, "2026-12-01#00");

        assertThat(repository.findActivity(user)).contains(new Activity(4, Optional.empty()));
    }

    // ------------------------------------------------------------------ chat directory

    @Test
    void rememberChat_shouldFileEachChatOnce_andListChatsInChatIdOrder() {
        repository.rememberChat(user, "chat-b", NOW);
        repository.rememberChat(user, "chat-a", NOW);
        repository.rememberChat(user, "chat-b", NOW.plusSeconds(1));

        assertThat(repository.listChats(user)).containsExactly("chat-a", "chat-b");
    }

    @Test
    void forgetChat_shouldRemoveOneChat_andRepeatingItIsHarmless() {
        repository.rememberChat(user, "chat-a", NOW);
        repository.rememberChat(user, "chat-b", NOW);

        repository.forgetChat(user, "chat-a");
        repository.forgetChat(user, "chat-a");

        assertThat(repository.listChats(user)).containsExactly("chat-b");
    }

    // ------------------------------------------------------------------ imports

    @Test
    void fileImportedChat_shouldFileTheChat_unlessTheUserHasItFiledAlready() {
        repository.rememberChat(user, "chat-own", NOW);

        assertThat(repository.fileImportedChat(user, "chat-imp", NOW, "imp-1")).isTrue();
        assertThat(repository.fileImportedChat(user, "chat-own", NOW, "imp-1")).isFalse();
        assertThat(repository.fileImportedChat(user, "chat-imp", NOW, "imp-2")).as("another import's").isFalse();
        assertThat(repository.listChats(user)).containsExactly("chat-imp", "chat-own");
    }

    @Test
    void fileImportedChat_shouldSayFiled_whenTheSameImportFilesTheSameChatAgain() {
        // A put whose answer was lost and which the SDK retried finds exactly its own item.
        assertThat(repository.fileImportedChat(user, "chat-imp", NOW, "imp-1")).isTrue();

        assertThat(repository.fileImportedChat(user, "chat-imp", NOW, "imp-1")).isTrue();
    }

    @Test
    void forgetImportedChat_shouldRemoveOnlyWhatThatImportFiled() {
        repository.rememberChat(user, "chat-own", NOW);
        repository.fileImportedChat(user, "chat-imp", NOW, "imp-1");

        repository.forgetImportedChat(user, "chat-own", "imp-1");
        repository.forgetImportedChat(user, "chat-imp", "imp-2");
        assertThat(repository.listChats(user)).containsExactly("chat-imp", "chat-own");

        repository.forgetImportedChat(user, "chat-imp", "imp-1");
        assertThat(repository.listChats(user)).containsExactly("chat-own");
    }

    @Test
    void forgetImportedChat_shouldStillRemoveTheChat_whenABotWroteInItSinceTheImport() {
        repository.fileImportedChat(user, "chat-imp", NOW, "imp-1");
        repository.rememberChat(user, "chat-imp", NOW.plusSeconds(5));

        repository.forgetImportedChat(user, "chat-imp", "imp-1");

        assertThat(repository.listChats(user)).isEmpty();
    }

    @Test
    void createImportedProfile_shouldCreateAProfileWithTheCounters_unlessTheUserHasOne() {
        assertThat(repository.createImportedProfile(user, 7, NOW, "imp-1")).isTrue();
        assertThat(repository.findActivity(user)).contains(new Activity(7, Optional.of(NOW)));
        assertThat(repository.findSettings(user).version()).isZero();

        repository.putSettings(sameIdOtherTenant, settings("dark"), OptionalLong.empty(), NOW);
        assertThat(repository.createImportedProfile(sameIdOtherTenant, 7, NOW, "imp-1")).isFalse();
        assertThat(repository.findActivity(sameIdOtherTenant)).isEmpty();
    }

    @Test
    void createImportedProfile_shouldSayCreated_whenTheSameImportCreatesTheSameProfileAgain() {
        assertThat(repository.createImportedProfile(user, 7, NOW, "imp-1")).isTrue();

        assertThat(repository.createImportedProfile(user, 7, NOW, "imp-1")).isTrue();
        assertThat(repository.createImportedProfile(user, 7, NOW, "imp-2")).isFalse();
    }

    @Test
    void dropImportedProfile_shouldDeleteTheProfile_whenThatImportCreatedItAndNoSettingsWereWritten() {
        repository.createImportedProfile(user, 7, NOW, "imp-1");
        repository.recordActivity(user, NOW.plusSeconds(5), 1, "2026-12-01#00");

        repository.dropImportedProfile(user, "imp-1");

        assertThat(repository.findActivity(user)).isEmpty();
        assertThat(repository.hasAnyData(user)).isFalse();
    }

    @Test
    void dropImportedProfile_shouldLeaveTheProfile_whenAnotherImportAsks_andStillDropItForItsOwnImportLater() {
        repository.createImportedProfile(user, 7, NOW, "imp-1");

        repository.dropImportedProfile(user, "imp-2");
        assertThat(repository.findActivity(user)).contains(new Activity(7, Optional.of(NOW)));

        repository.dropImportedProfile(user, "imp-1");
        assertThat(repository.findActivity(user)).isEmpty();
    }

    @Test
    void dropImportedProfile_shouldOnlyRemoveTheMark_whenSettingsWereWrittenSince() {
        repository.createImportedProfile(user, 7, NOW, "imp-1");
        repository.putSettings(user, settings("dark"), OptionalLong.of(0), NOW);

        repository.dropImportedProfile(user, "imp-1");

        assertThat(repository.findSettings(user).version()).isEqualTo(1);
        assertThat(repository.findActivity(user)).isPresent();
        // The mark is gone: a later drop of the same import deletes nothing either.
        repository.dropImportedProfile(user, "imp-1");
        assertThat(repository.findSettings(user).version()).isEqualTo(1);
    }

    @Test
    void dropImportedProfile_shouldDoNothing_whenNoProfileExists() {
        repository.dropImportedProfile(user, "imp-1");

        assertThat(repository.hasAnyData(user)).isFalse();
    }

    // ------------------------------------------------------------------ profile lifetime and isolation

    @Test
    void deleteProfile_shouldRemoveSettingsAndCounters_butNotTheChatDirectory() {
        repository.putSettings(user, settings("dark"), OptionalLong.empty(), NOW);
        repository.recordActivity(user, NOW, 3, "2026-12-01#00");
        repository.rememberChat(user, "chat-a", NOW);

        repository.deleteProfile(user);

        assertThat(repository.findSettings(user).version()).isZero();
        assertThat(repository.findActivity(user)).isEmpty();
        assertThat(repository.listChats(user)).containsExactly("chat-a");
        assertThat(repository.hasAnyData(user)).isTrue();
    }

    @Test
    void hasAnyData_shouldSeeAProfileOrAChatDirectoryEntry_andNothingElse() {
        assertThat(repository.hasAnyData(user)).isFalse();

        repository.rememberChat(user, "chat-a", NOW);
        assertThat(repository.hasAnyData(user)).isTrue();
        repository.forgetChat(user, "chat-a");
        assertThat(repository.hasAnyData(user)).isFalse();

        repository.putSettings(user, settings("dark"), OptionalLong.empty(), NOW);
        assertThat(repository.hasAnyData(user)).isTrue();
    }

    @Test
    void everything_shouldBeKeptApartByTenant_whenTwoTenantsHaveAUserWithTheSameId() {
        repository.putSettings(user, settings("dark"), OptionalLong.empty(), NOW);
        repository.recordActivity(user, NOW, 3, "2026-12-01#00");
        repository.rememberChat(user, "chat-a", NOW);
        repository.fileImportedChat(user, "chat-imp", NOW, "imp-1");

        assertThat(repository.findSettings(sameIdOtherTenant).version()).isZero();
        assertThat(repository.findActivity(sameIdOtherTenant)).isEmpty();
        assertThat(repository.listChats(sameIdOtherTenant)).isEmpty();
        assertThat(repository.hasAnyData(sameIdOtherTenant)).isFalse();

        repository.deleteProfile(sameIdOtherTenant);
        repository.forgetChat(sameIdOtherTenant, "chat-a");
        repository.forgetImportedChat(sameIdOtherTenant, "chat-imp", "imp-1");
        assertThat(repository.findSettings(user).version()).isEqualTo(1);
        assertThat(repository.listChats(user)).containsExactly("chat-a", "chat-imp");
    }
}
