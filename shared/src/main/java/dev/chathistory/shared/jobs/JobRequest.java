package dev.chathistory.shared.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.json.Json;
import java.util.Objects;

/**
 * The body of a job message on the queue: what to do for whom. Carries ids only, never message
 * contents, so queue payloads and the DLQ hold nothing sensitive.
 */
public record JobRequest(String jobId, JobType type, String tenantId, String userId, String chatId) {

    public JobRequest {
        Objects.requireNonNull(type, "type");
        requireId("jobId", jobId);
        requireId("tenantId", tenantId);
        requireId("userId", userId);
        if (chatId != null) {
            requireId("chatId", chatId);
        }
    }

    public String toJson() {
        ObjectNode node = Json.object()
                .put("jobId", jobId)
                .put("type", type.wireName())
                .put("tenantId", tenantId)
                .put("userId", userId);
        if (chatId != null) {
            node.put("chatId", chatId);
        }
        return Json.write(node);
    }

    /**
     * Parses a queue message body.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the body)
     */
    public static JobRequest fromJson(String body) {
        JsonNode node;
        try {
            node = Json.parseTrusted(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("job message is not JSON");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("job message is not a JSON object");
        }
        String typeName = node.path("type").asText(null);
        JobType type = JobType.fromWireName(typeName)
                .orElseThrow(() -> new IllegalArgumentException("unknown job type"));
        return new JobRequest(node.path("jobId").asText(null), type, node.path("tenantId").asText(null),
                node.path("userId").asText(null), node.path("chatId").asText(null));
    }

    private static void requireId(String name, String value) {
        if (!Identifiers.isValid(value)) {
            throw new IllegalArgumentException("job message has no valid " + name);
        }
    }
}
