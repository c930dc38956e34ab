package dev.chathistory.langchain4j;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.Message;
import dev.chathistory.client.NewMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a store does when it takes LangChain4j's whole list at its word, as stores that keep a
 * conversation in one row or item do: every update deletes what is there and writes the list
 * again. Only for comparing costs on the same API.
 */
final class ReplaceAllStore implements ChatMemoryStore {

    private final ChatHistoryClient client;

    ReplaceAllStore(ChatHistoryClient client) {
        this.client = client;
    }

    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        List<ChatMessage> messages = new ArrayList<>();
        client.history(memoryId.toString(), 100, false)
                .forEach(m -> messages.add(ChatMessageDeserializer.messageFromJson(m.text())));
        Collections.reverse(messages);
        return messages;
    }

    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        deleteMessages(memoryId);
        for (ChatMessage message : messages) {
            client.append(memoryId.toString(), NewMessage.of("bot", true, ChatMessageSerializer.messageToJson(message)));
        }
    }

    @Override
    public void deleteMessages(Object memoryId) {
        List<Message> live = new ArrayList<>();
        client.history(memoryId.toString(), 100, false).forEach(live::add);
        live.forEach(m -> client.delete(memoryId.toString(), m.messageId(), m.version()));
    }
}
