package dev.chathistory.springai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.client.memory.MemoryEntry;
import dev.chathistory.client.memory.MemoryRole;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.ai.content.MediaContent;
import org.springframework.util.MimeType;

/**
 * Spring AI messages to memory entries and back. A message that is only its text is stored as
 * that text, so the chat reads naturally through the API; anything more goes in one JSON object:
 * <pre>{@code
 * {"text": "...",                                              (absent for a tool response)
 *  "toolCalls": [{"id", "type", "name", "arguments"}],         (assistant, when it has any)
 *  "responses": [{"id", "name", "responseData"}],              (tool response)
 *  "media": [{"mimeType", "id", "name", "url" | "base64"}],    (user and assistant, when any)
 *  "metadata": {...}}                                          (when it has more than messageType)
 * }</pre>
 * The JSON is written the same way every time (fields in this order, metadata keys sorted), which
 * matters: {@code ConversationLog} recognises the messages it already holds by comparing it.
 */
final class MessageCodec {

    /** Keys sorted at every depth: the same message must always give the same text. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private MessageCodec() {
    }

    static MemoryEntry toEntry(Message message) {
        MemoryRole role = role(message);
        Map<String, Object> metadata = ownMetadata(message);
        List<Media> media = message instanceof MediaContent content && content.getMedia() != null
                ? content.getMedia() : List.of();
        boolean toolCalls = message instanceof AssistantMessage assistant && assistant.hasToolCalls();
        if (role != MemoryRole.TOOL && message.getText() != null && metadata.isEmpty() && media.isEmpty()
                && !toolCalls) {
            return MemoryEntry.text(role, message.getText());
        }
        ObjectNode node = JSON.createObjectNode();
        if (role != MemoryRole.TOOL) {
            node.put("text", message.getText());
        }
        if (toolCalls) {
            ArrayNode calls = node.putArray("toolCalls");
            for (ToolCall call : ((AssistantMessage) message).getToolCalls()) {
                calls.addObject().put("id", call.id()).put("type", call.type()).put("name", call.name())
                        .put("arguments", call.arguments());
            }
        }
        if (message instanceof ToolResponseMessage tool && tool.getResponses() != null) {
            ArrayNode responses = node.putArray("responses");
            for (ToolResponse response : tool.getResponses()) {
                responses.addObject().put("id", response.id()).put("name", response.name())
                        .put("responseData", response.responseData());
            }
        }
        if (!media.isEmpty()) {
            ArrayNode items = node.putArray("media");
            media.forEach(one -> items.add(media(one)));
        }
        if (!metadata.isEmpty()) {
            node.set("metadata", metadataTree(role, metadata));
        }
        try {
            return MemoryEntry.json(role, JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static JsonNode metadataTree(MemoryRole role, Map<String, Object> metadata) {
        try {
            return JSON.valueToTree(metadata);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a " + role.wireName() + " message's metadata cannot be stored as"
                    + " JSON (keep its values to strings, numbers, booleans, lists and maps): " + e.getMessage(), e);
        }
    }

    static Message toMessage(MemoryEntry entry) {
        if (!entry.json()) {
            return plain(entry.role(), entry.text());
        }
        JsonNode node;
        try {
            node = JSON.readTree(entry.text());
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            // Not this shape (written by some other library): keep it readable rather than fail the memory.
            return plain(entry.role(), entry.text());
        }
        String text = node.path("text").isTextual() ? node.path("text").textValue() : null;
        Map<String, Object> metadata = node.has("metadata") ? JSON.convertValue(node.get("metadata"), MAP) : Map.of();
        return switch (entry.role()) {
            case ASSISTANT -> AssistantMessage.builder().content(text).properties(metadata)
                    .toolCalls(toolCalls(node.path("toolCalls"))).media(media(node.path("media"))).build();
            case TOOL -> ToolResponseMessage.builder().metadata(metadata)
                    .responses(node.has("responses") ? responses(node.get("responses")) : null).build();
            case SYSTEM -> SystemMessage.builder().text(text == null ? "" : text).metadata(metadata).build();
            case USER, OTHER -> UserMessage.builder().text(text == null ? "" : text)
                    .media(media(node.path("media"))).metadata(metadata).build();
        };
    }

    private static MemoryRole role(Message message) {
        return switch (message.getMessageType()) {
            case USER -> MemoryRole.USER;
            case ASSISTANT -> MemoryRole.ASSISTANT;
            case SYSTEM -> MemoryRole.SYSTEM;
            case TOOL -> MemoryRole.TOOL;
        };
    }

    /** The metadata without Spring AI's own {@code messageType} entry, which its constructors put back. */
    private static Map<String, Object> ownMetadata(Message message) {
        Map<String, Object> metadata = new TreeMap<>();
        if (message.getMetadata() != null) {
            metadata.putAll(message.getMetadata());
        }
        metadata.remove(AbstractMessage.MESSAGE_TYPE);
        return metadata;
    }

    private static Message plain(MemoryRole role, String text) {
        return switch (role) {
            case ASSISTANT -> new AssistantMessage(text);
            case SYSTEM -> new SystemMessage(text);
            case TOOL -> ToolResponseMessage.builder().responses(List.of(new ToolResponse("", "", text))).build();
            case USER, OTHER -> new UserMessage(text);
        };
    }

    private static ObjectNode media(Media media) {
        ObjectNode node = JSON.createObjectNode().put("mimeType", media.getMimeType().toString())
                .put("id", media.getId()).put("name", media.getName());
        if (media.getData() instanceof String url) {
            node.put("url", url);
        } else if (media.getData() instanceof byte[] bytes) {
            node.put("base64", Base64.getEncoder().encodeToString(bytes));
        } else {
            // Anything else would come back as something else: refuse it rather than lose it quietly.
            throw new IllegalArgumentException("media data must be a URL (String) or bytes (byte[]), got "
                    + media.getData().getClass().getName());
        }
        return node;
    }

    private static List<Media> media(JsonNode items) {
        List<Media> media = new ArrayList<>();
        for (JsonNode item : items) {
            Object data = item.has("base64") ? Base64.getDecoder().decode(item.get("base64").textValue())
                    : item.path("url").asText();
            media.add(Media.builder().mimeType(MimeType.valueOf(item.path("mimeType").asText()))
                    .data(data).id(textOrNull(item.get("id"))).name(textOrNull(item.get("name"))).build());
        }
        return media;
    }

    private static List<ToolCall> toolCalls(JsonNode items) {
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode item : items) {
            calls.add(new ToolCall(textOrNull(item.get("id")), textOrNull(item.get("type")),
                    textOrNull(item.get("name")), textOrNull(item.get("arguments"))));
        }
        return calls;
    }

    private static List<ToolResponse> responses(JsonNode items) {
        List<ToolResponse> responses = new ArrayList<>();
        for (JsonNode item : items) {
            responses.add(new ToolResponse(textOrNull(item.get("id")), textOrNull(item.get("name")),
                    textOrNull(item.get("responseData"))));
        }
        return responses;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
