package dev.chathistory.springai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.NewMessage;
import dev.chathistory.client.memory.MemoryEntry;
import dev.chathistory.client.memory.MemoryRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;

/**
 * The obvious repository, for comparison: each saveAll deletes every message the chat holds and
 * appends the whole list again, as a relational repository does with DELETE then INSERT.
 */
final class ReplaceAllRepository implements ChatMemoryRepository {

    private final ChatHistoryClient client;

    ReplaceAllRepository(ChatHistoryClient client) {
        this.client = client;
    }

    @Override
    public List<String> findConversationIds() {
        return List.of();
    }

    @Override
    public List<Message> findByConversationId(String conversationId) {
        List<Message> messages = new ArrayList<>();
        for (dev.chathistory.client.Message stored : client.history(conversationId)) {
            MemoryRole role = MemoryRole.valueOf(stored.metadata().path("role").asText());
            boolean json = stored.metadata().path("json").asBoolean();
            messages.add(MessageCodec.toMessage(new MemoryEntry(role, json, stored.text())));
        }
        Collections.reverse(messages);
        return messages;
    }

    @Override
    public void saveAll(String conversationId, List<Message> messages) {
        // Read to the end before deleting: deleting under the cursor would skip messages.
        List<dev.chathistory.client.Message> live = new ArrayList<>();
        client.history(conversationId).forEach(live::add);
        for (dev.chathistory.client.Message stored : live) {
            client.delete(conversationId, stored.messageId(), stored.version());
        }
        for (Message message : messages) {
            MemoryEntry entry = MessageCodec.toEntry(message);
            ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("role", entry.role().name())
                    .put("json", entry.json());
            client.append(conversationId, new NewMessage(entry.role() == MemoryRole.USER ? "user" : "assistant",
                    entry.role() != MemoryRole.USER, entry.text(), metadata));
        }
    }

    @Override
    public void deleteByConversationId(String conversationId) {
        saveAll(conversationId, List.of());
    }
}
