package dev.chathistory.shared.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.branches.Branches;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.VersionConflictException;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.testing.InMemoryBranchRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageServiceTest {

    private static final ChatRef CHAT = new ChatRef("tenant-a", "chat-1");

    private final InMemoryMessageRepository repository = new InMemoryMessageRepository();
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final MessageService service = new MessageService(repository,
            new ActivityRecorder(users, Duration.ofMinutes(1), 8), new ChatDirectory(users, Duration.ofMinutes(5)),
            ArchivedHistory.none(), new Retention(new InMemoryRetentionRepository(), Duration.ofMinutes(1), new RecordingMetrics(),
                    null, null, clock),
            new Branches(new InMemoryBranchRepository(repository), new RecordingMetrics()),
            MessageIdGenerator.ulid(), clock,
            new ServiceConfig.Limits(64, 64, 64, 4096), Duration.ofHours(24), metrics, ConflictRetry.defaults());

    @Test
    void append_shouldCreateVersionOne_andCountIt() {
        AppendResult result = service.append(CHAT, new NewMessage("u1", false, "hello", null), null);

        assertThat(result.replayed()).isFalse();
        Message message = result.message();
        assertThat(message.version()).isEqualTo(1);
        assertThat(message.parentVersion()).isNull();
        assertThat(message.text()).isEqualTo("hello");
        assertThat(message.createdAt()).isEqualTo(clock.instant());
        assertThat(repository.find(CHAT, message.messageId())).contains(message);
        assertThat(metrics.count("MessagesAppended")).isEqualTo(1);
    }

    @Test
    void append_shouldReplayOriginal_whenSameIdempotencyKeyAndBodyRepeat() {
        NewMessage request = new NewMessage("u1", true, "hi", Json.parseTrusted("{\"a\":1,\"b\":[1,2]}"));
        AppendResult first = service.append(CHAT, request, "key-1");
        NewMessage sameButReordered = new NewMessage("u1", true, "hi", Json.parseTrusted("{\"b\":[1,2],\"a\":1}"));

        AppendResult second = service.append(CHAT, sameButReordered, "key-1");

        assertThat(second.replayed()).isTrue();
        assertThat(second.message()).isEqualTo(first.message());
        assertThat(repository.messageCount(CHAT)).isEqualTo(1);
        assertThat(metrics.count("IdempotentReplays")).isEqualTo(1);
        assertThat(metrics.count("MessagesAppended")).isEqualTo(1);
    }

    @Test
    void append_shouldReject_whenIdempotencyKeyReusedWithDifferentBody() {
        service.append(CHAT, new NewMessage("u1", false, "one", null), "key-1");

        assertThatThrownBy(() -> service.append(CHAT, new NewMessage("u1", false, "two", null), "key-1"))
                .isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.IDEMPOTENCY_KEY_REUSED);
        assertThat(repository.messageCount(CHAT)).isEqualTo(1);
    }

    @Test
    void append_shouldCreateAgain_whenIdempotencyRecordExpired() {
        service.append(CHAT, new NewMessage("u1", false, "one", null), "key-1");
        clock.advance(Duration.ofHours(25));

        AppendResult again = service.append(CHAT, new NewMessage("u1", false, "one", null), "key-1");

        assertThat(again.replayed()).isFalse();
        assertThat(repository.messageCount(CHAT)).isEqualTo(2);
    }

    @Test
    void append_shouldScopeIdempotencyKeysToTheChat() {
        service.append(CHAT, new NewMessage("u1", false, "one", null), "key-1");
        ChatRef otherChat = new ChatRef("tenant-a", "chat-2");

        AppendResult other = service.append(otherChat, new NewMessage("u1", false, "different", null), "key-1");

        assertThat(other.replayed()).isFalse();
        assertThat(repository.messageCount(otherChat)).isEqualTo(1);
    }

    @Test
    void append_shouldRejectOversizedText_andStoreNothing() {
        String tooLong = "é".repeat(33); // 66 bytes of UTF-8, over the 64-byte limit

        assertThatThrownBy(() -> service.append(CHAT, new NewMessage("u1", false, tooLong, null), null))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.TEXT_TOO_LONG);
        assertThat(repository.messageCount(CHAT)).isZero();
    }

    @Test
    void append_shouldAcceptTextExactlyAtTheLimit() {
        String atLimit = "x".repeat(64);

        service.append(CHAT, new NewMessage("u1", false, atLimit, null), null);

        assertThat(repository.messageCount(CHAT)).isEqualTo(1);
    }

    @Test
    void append_shouldRejectUnpairedSurrogates() {
        assertThatThrownBy(() -> service.append(CHAT, new NewMessage("u1", false, "bad \uD800 text", null), null))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.VALIDATION_FAILED);
    }

    @Test
    void append_shouldRejectInvalidIds() {
        assertThatThrownBy(() -> service.append(CHAT, new NewMessage("u#1", false, "x", null), null))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.INVALID_ID);
        assertThatThrownBy(() -> service.append(CHAT, new NewMessage("u1", false, "x", null), "bad key"))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.INVALID_IDEMPOTENCY_KEY);
        assertThat(repository.messageCount(CHAT)).isZero();
    }

    @Test
    void append_shouldRejectOversizedMetadata() {
        JsonNode big = Json.parseTrusted("{\"k\":\"" + "v".repeat(100) + "\"}");

        assertThatThrownBy(() -> service.append(CHAT, new NewMessage("u1", false, "x", big), null))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.METADATA_TOO_LARGE);
    }

    @Test
    void list_shouldPageNewestFirst_withoutGapsOrRepeats() {
        List<String> appended = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            appended.add(service.append(CHAT, new NewMessage("u1", false, "m" + i, null), null).message().messageId());
            clock.advance(Duration.ofMillis(1));
        }

        List<String> read = new ArrayList<>();
        String cursor = null;
        do {
            ListPage<Message> page = service.list(CHAT, 5, cursor, false);
            page.items().forEach(m -> read.add(m.messageId()));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);

        List<String> newestFirst = new ArrayList<>(appended);
        Collections.reverse(newestFirst);
        assertThat(read).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void list_shouldHideDeletedMessages_unlessAskedFor() {
        Message kept = service.append(CHAT, new NewMessage("u1", false, "keep", null), null).message();
        Message gone = service.append(CHAT, new NewMessage("u1", false, "gone", null), null).message();
        service.delete(CHAT, gone.messageId(), 1);

        assertThat(service.list(CHAT, 10, null, false).items()).extracting(Message::messageId)
                .containsExactly(kept.messageId());
        assertThat(service.list(CHAT, 10, null, true).items()).extracting(Message::messageId)
                .containsExactly(gone.messageId(), kept.messageId());
    }

    @Test
    void list_shouldRejectCursorsFromAnotherChatOrTenant_andGarbage() {
        for (int i = 0; i < 3; i++) {
            service.append(CHAT, new NewMessage("u1", false, "m" + i, null), null);
        }
        String cursor = service.list(CHAT, 1, null, false).nextCursor().orElseThrow();
        ChatRef otherChat = new ChatRef("tenant-a", "chat-2");
        ChatRef sameChatOtherTenant = new ChatRef("tenant-b", CHAT.chatId());
        for (int i = 0; i < 3; i++) {
            service.append(sameChatOtherTenant, new NewMessage("u1", false, "b" + i, null), null);
        }

        for (String bad : List.of("%%%", "bm90LWpzb24", cursor.substring(2), "x".repeat(2000))) {
            assertThatThrownBy(() -> service.list(CHAT, 1, bad, false))
                    .extracting(e -> ((DomainException) e).problem())
                    .isEqualTo(Problem.INVALID_CURSOR);
        }
        assertThatThrownBy(() -> service.list(otherChat, 1, cursor, false))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.INVALID_CURSOR);
        assertThatThrownBy(() -> service.list(sameChatOtherTenant, 1, cursor, false))
                .as("a chat id alone does not make a cursor valid in another tenant")
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.INVALID_CURSOR);
        assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))
                .as("the cursor names neither tenant nor chat")
                .doesNotContain(CHAT.tenantId()).doesNotContain(CHAT.chatId());
    }

    @Test
    void list_shouldRejectPageSizesOutsideOneToHundred() {
        for (int limit : new int[] {0, -1, 101}) {
            assertThatThrownBy(() -> service.list(CHAT, limit, null, false))
                    .extracting(e -> ((DomainException) e).problem())
                    .isEqualTo(Problem.INVALID_PARAMETER);
        }
    }

    @Test
    void edit_shouldBumpVersion_andKeepThePreviousContentAsSnapshot() {
        Message original = service.append(CHAT, new NewMessage("u1", false, "draft", null), null).message();
        clock.advance(Duration.ofSeconds(5));

        Message edited = service.edit(CHAT, original.messageId(), 1, new MessageEdit("final", false, null));

        assertThat(edited.version()).isEqualTo(2);
        assertThat(edited.parentVersion()).isEqualTo(1);
        assertThat(edited.text()).isEqualTo("final");
        assertThat(edited.editedAt()).isEqualTo(clock.instant());
        assertThat(edited.createdAt()).isEqualTo(original.createdAt());
        assertThat(repository.storedVersions(CHAT, original.messageId()))
                .singleElement()
                .isEqualTo(original.toVersion());
    }

    @Test
    void edit_shouldFailWith412AndCurrentVersion_whenIfMatchIsStale() {
        Message original = service.append(CHAT, new NewMessage("u1", false, "a", null), null).message();
        service.edit(CHAT, original.messageId(), 1, new MessageEdit("b", false, null));

        assertThatThrownBy(() -> service.edit(CHAT, original.messageId(), 1, new MessageEdit("c", false, null)))
                .isInstanceOfSatisfying(VersionConflictException.class,
                        e -> assertThat(e.currentVersion()).isEqualTo(2));
        assertThat(metrics.count("VersionConflicts")).isEqualTo(1);
        assertThat(repository.find(CHAT, original.messageId()).orElseThrow().text()).isEqualTo("b");
    }

    @Test
    void edit_shouldReplaceOrRemoveMetadata_onlyWhenGiven() {
        Message original = service.append(CHAT,
                new NewMessage("u1", false, "a", Json.parseTrusted("{\"lang\":\"en\"}")), null).message();

        Message textOnly = service.edit(CHAT, original.messageId(), 1, new MessageEdit("b", false, null));
        Message cleared = service.edit(CHAT, original.messageId(), 2, new MessageEdit(null, true, null));

        assertThat(textOnly.metadata()).isEqualTo(original.metadata());
        assertThat(cleared.metadata()).isNull();
        assertThat(cleared.text()).isEqualTo("b");
    }

    @Test
    void edit_shouldRejectEmptyEdits_andMissingMessages() {
        Message original = service.append(CHAT, new NewMessage("u1", false, "a", null), null).message();

        assertThatThrownBy(() -> service.edit(CHAT, original.messageId(), 1, new MessageEdit(null, false, null)))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.VALIDATION_FAILED);
        assertThatThrownBy(() -> service.edit(CHAT, "nope", 1, new MessageEdit("b", false, null)))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.MESSAGE_NOT_FOUND);
    }

    @Test
    void delete_shouldWriteADeletedVersion_andBlockFurtherEdits() {
        Message original = service.append(CHAT, new NewMessage("u1", false, "a", null), null).message();

        Message deleted = service.delete(CHAT, original.messageId(), 1);

        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.version()).isEqualTo(2);
        assertThatThrownBy(() -> service.get(CHAT, original.messageId(), false))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.MESSAGE_NOT_FOUND);
        assertThat(service.get(CHAT, original.messageId(), true)).isEqualTo(deleted);
        assertThatThrownBy(() -> service.edit(CHAT, original.messageId(), 2, new MessageEdit("b", false, null)))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.MESSAGE_DELETED);
    }

    @Test
    void versions_shouldListEveryVersionNewestFirst_acrossPages() {
        Message original = service.append(CHAT, new NewMessage("u1", false, "v1", null), null).message();
        for (int v = 1; v < 7; v++) {
            service.edit(CHAT, original.messageId(), v, new MessageEdit("v" + (v + 1), false, null));
        }

        List<Long> seen = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        String cursor = null;
        do {
            ListPage<MessageVersion> page = service.versions(CHAT, original.messageId(), 3, cursor);
            page.items().forEach(v -> {
                seen.add(v.version());
                texts.add(v.text());
            });
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);

        assertThat(seen).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(texts).containsExactly("v7", "v6", "v5", "v4", "v3", "v2", "v1");
    }

    @Test
    void versions_shouldReturnOnlyTheCurrentVersion_forAnUneditedMessage() {
        Message original = service.append(CHAT, new NewMessage("u1", false, "only", null), null).message();

        ListPage<MessageVersion> page = service.versions(CHAT, original.messageId(), 50, null);

        assertThat(page.items()).singleElement().isEqualTo(original.toVersion());
        assertThat(page.nextCursor()).isEqualTo(Optional.empty());
    }

    @Test
    void versions_shouldRejectACursorOfAnotherMessage() {
        Message a = service.append(CHAT, new NewMessage("u1", false, "a", null), null).message();
        Message b = service.append(CHAT, new NewMessage("u1", false, "b", null), null).message();
        service.edit(CHAT, a.messageId(), 1, new MessageEdit("a2", false, null));
        service.edit(CHAT, b.messageId(), 1, new MessageEdit("b2", false, null));
        String cursorOfA = service.versions(CHAT, a.messageId(), 1, null).nextCursor().orElseThrow();

        assertThatThrownBy(() -> service.versions(CHAT, b.messageId(), 1, cursorOfA))
                .extracting(e -> ((DomainException) e).problem())
                .isEqualTo(Problem.INVALID_CURSOR);
    }

    @Test
    void fingerprint_shouldDependOnEveryField() {
        NewMessage base = new NewMessage("u1", false, "t", null);
        String hash = MessageService.fingerprint(base);

        assertThat(MessageService.fingerprint(new NewMessage("u2", false, "t", null))).isNotEqualTo(hash);
        assertThat(MessageService.fingerprint(new NewMessage("u1", true, "t", null))).isNotEqualTo(hash);
        assertThat(MessageService.fingerprint(new NewMessage("u1", false, "T", null))).isNotEqualTo(hash);
        assertThat(MessageService.fingerprint(new NewMessage("u1", false, "t", Json.object()))).isNotEqualTo(hash);
        assertThat(hash).matches("[0-9a-f]{64}");
    }
}
