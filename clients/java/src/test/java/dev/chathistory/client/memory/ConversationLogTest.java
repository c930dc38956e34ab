package dev.chathistory.client.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.Message;
import dev.chathistory.client.NewMessage;
import dev.chathistory.client.testing.FakeChatHistoryApi;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A memory kept as appends: what is stored, what a window reads back, what each turn costs. */
class ConversationLogTest {

    private static final MemoryEntry SYSTEM = MemoryEntry.text(MemoryRole.SYSTEM, "be brief");

    private final FakeChatHistoryApi api = newApi();
    private final ChatHistoryClient client = api.client();
    private final ConversationLog log = new ConversationLog(client, "alice", "bot", "test");

    private static FakeChatHistoryApi newApi() {
        try {
            return new FakeChatHistoryApi();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static MemoryEntry user(int turn) {
        return MemoryEntry.text(MemoryRole.USER, "question " + turn);
    }

    private static MemoryEntry answer(int turn) {
        return MemoryEntry.json(MemoryRole.ASSISTANT, "{\"text\":\"answer " + turn + "\"}");
    }

    private List<Message> chat(String chatId) {
        List<Message> all = new ArrayList<>(StreamSupport.stream(client.history(chatId, 100, true).spliterator(),
                false).toList());
        java.util.Collections.reverse(all);
        return all;
    }

    @Test
    void replaceWindow_shouldAppendOnlyTheNewTail_andReadTheSameListBack() {
        log.replaceWindow("c1", List.of(SYSTEM, user(1)));
        log.replaceWindow("c1", List.of(SYSTEM, user(1), answer(1)));

        assertThat(log.window("c1")).containsExactly(SYSTEM, user(1), answer(1));
        List<Message> stored = chat("c1");
        assertThat(stored).extracting(Message::text).containsExactly("be brief", "question 1", "{\"text\":\"answer 1\"}");
        assertThat(stored).extracting(Message::userId).containsExactly("bot", "alice", "bot");
        assertThat(stored).extracting(Message::isBot).containsExactly(true, false, true);
        assertThat(stored.get(2).metadata().at("/memory/pos").asLong()).isEqualTo(2);
        assertThat(stored.get(2).metadata().at("/memory/format").asText()).isEqualTo("json");
        assertThat(stored.get(2).metadata().at("/memory/role").asText()).isEqualTo("assistant");
    }

    @Test
    void aWindowThatEvicts_shouldKeepTheHistory_andServeOnlyTheWindow_withTheSystemMessageKeptApart() {
        List<MemoryEntry> window = new ArrayList<>(List.of(SYSTEM));
        for (int turn = 1; turn <= 6; turn++) {
            window.add(user(turn));
            window.add(answer(turn));
            while (window.size() > 5) {
                window.remove(1);
            }
            log.replaceWindow("c1", window);
        }

        assertThat(log.window("c1")).containsExactlyElementsOf(window);
        assertThat(chat("c1")).as("every message of the conversation stays").hasSize(13)
                .noneMatch(Message::deleted);
    }

    @Test
    void writesPerTurn_shouldStayConstant_asTheConversationGrows() {
        List<MemoryEntry> everything = new ArrayList<>();
        List<Integer> appendsPerTurn = new ArrayList<>();
        List<Integer> editsPerTurn = new ArrayList<>();
        for (int turn = 1; turn <= 60; turn++) {
            api.resetCounts();
            everything.add(user(turn));
            everything.add(answer(turn));
            List<MemoryEntry> window = everything.subList(Math.max(0, everything.size() - 20), everything.size());
            log.replaceWindow("c1", window);
            appendsPerTurn.add(api.requests("POST"));
            editsPerTurn.add(api.requests("PATCH") + api.requests("DELETE"));
        }

        assertThat(appendsPerTurn).containsOnly(2);
        assertThat(editsPerTurn).containsOnly(0);
        assertThat(api.stored("c1")).isEqualTo(120);
    }

    @Test
    void aRetriedTurn_shouldNotAppendTwice() {
        log.replaceWindow("c1", List.of(user(1), answer(1)));
        // The same turn again, as a caller that never saw the answer would send it.
        log.replaceWindow("c1", List.of(user(1), answer(1)));

        assertThat(api.stored("c1")).isEqualTo(2);
    }

    @Test
    void aRepeatedMessage_shouldBeStoredAgain_notTakenForTheEarlierOne() {
        log.replaceWindow("c1", List.of(user(1), answer(1)));
        log.replaceWindow("c1", List.of(user(1), answer(1), user(1)));

        assertThat(log.window("c1")).containsExactly(user(1), answer(1), user(1));
        assertThat(api.stored("c1")).isEqualTo(3);
    }

    @Test
    void aNewSystemMessage_inFrontOfOlderTurns_shouldBeAppended_andTheWindowKeepItsOrder() {
        log.replaceWindow("c1", List.of(SYSTEM, user(1), answer(1)));
        MemoryEntry newSystem = MemoryEntry.text(MemoryRole.SYSTEM, "be thorough");

        log.replaceWindow("c1", List.of(newSystem, user(1), answer(1)));

        assertThat(log.window("c1")).containsExactly(newSystem, user(1), answer(1));
        assertThat(api.stored("c1")).isEqualTo(4);
    }

    @Test
    void clearWindow_shouldEmptyTheMemory_keepTheChat_andLetANewConversationStartWithoutReusingAKey() {
        log.replaceWindow("c1", List.of(user(1), answer(1)));

        log.clearWindow("c1");
        assertThat(log.window("c1")).isEmpty();
        log.replaceWindow("c1", List.of(user(1)));

        assertThat(log.window("c1")).containsExactly(user(1));
        assertThat(chat("c1")).hasSize(3);
        assertThat(chat("c1").get(2).metadata().at("/memory/pos").asLong()).isEqualTo(2);
    }

    @Test
    void messagesWrittenOtherwise_shouldBeLeftOutOfTheWindow() {
        log.replaceWindow("c1", List.of(user(1)));
        client.append("c1", NewMessage.of("moderator", false, "a note"));
        log.replaceWindow("c1", List.of(user(1), answer(1)));

        assertThat(log.window("c1")).containsExactly(user(1), answer(1));
    }

    @Test
    void aMessageDeletedThroughTheApi_shouldLeaveTheWindow() {
        log.replaceWindow("c1", List.of(SYSTEM, user(1), answer(1)));
        Message question = chat("c1").get(1);
        client.delete("c1", question.messageId(), question.version());

        assertThat(log.window("c1")).containsExactly(SYSTEM, answer(1));
    }

    @Test
    void aConversationIdThatIsNoChatId_shouldBeRefusedClearly() {
        assertThatThrownBy(() -> log.window("a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conversation id");
        assertThat(ConversationLog.chatId(42)).isEqualTo("42");
    }
}
