package dev.chathistory.langchain4j;

import dev.chathistory.client.memory.MemoryEntry;
import dev.chathistory.client.memory.MemoryRole;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;

/**
 * LangChain4j messages to stored entries and back. A message that is nothing but its text (a
 * system message; a user message of one text and no name or attributes; an answer with no tool
 * calls, thinking or attributes) is stored as that text, so the chat reads naturally through the
 * API; anything more is stored whole, in LangChain4j's own JSON form, and read back with it.
 */
final class MessageMapping {

    private MessageMapping() {
    }

    static MemoryEntry toEntry(ChatMessage message) {
        MemoryRole role = switch (message.type()) {
            case SYSTEM -> MemoryRole.SYSTEM;
            case USER -> MemoryRole.USER;
            case AI -> MemoryRole.ASSISTANT;
            case TOOL_EXECUTION_RESULT -> MemoryRole.TOOL;
            case CUSTOM -> MemoryRole.OTHER;
        };
        String plain = plainText(message);
        return plain != null ? MemoryEntry.text(role, plain) : MemoryEntry.json(role, ChatMessageSerializer.messageToJson(message));
    }

    static ChatMessage fromEntry(MemoryEntry entry) {
        if (entry.json()) {
            return ChatMessageDeserializer.messageFromJson(entry.text());
        }
        return switch (entry.role()) {
            case SYSTEM -> SystemMessage.from(entry.text());
            case USER -> UserMessage.from(entry.text());
            case ASSISTANT -> AiMessage.from(entry.text());
            // Only this library's JSON form holds the others; plain text from elsewhere reads as the user's.
            case TOOL, OTHER -> UserMessage.from(entry.text());
        };
    }

    /** The message's text if rebuilding it from that text alone gives the same message, else null. */
    private static String plainText(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return system.text();
        }
        if (message instanceof UserMessage user && user.hasSingleText()) {
            String text = user.singleText();
            return UserMessage.from(text).equals(user) ? text : null;
        }
        if (message instanceof AiMessage ai && ai.text() != null) {
            return AiMessage.from(ai.text()).equals(ai) ? ai.text() : null;
        }
        return null;
    }
}
