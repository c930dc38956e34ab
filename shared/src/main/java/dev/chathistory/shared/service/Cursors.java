package dev.chathistory.shared.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.error.ApiException;
import dev.chathistory.shared.error.ErrorCode;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page cursors. A cursor only carries a position inside one listing (a message id, or a
 * version number) and the chat it came from; the partition to read is always derived from the
 * request, never from the cursor, so a cursor cannot reach another tenant's or chat's data. A
 * cursor presented to another chat or message is rejected rather than silently reinterpreted.
 */
final class Cursors {

    static final int MAX_CURSOR_LENGTH = 1024;

    private static final String MESSAGES = "messages";
    private static final String VERSIONS = "versions";

    private Cursors() {
    }

    static String forMessages(ChatRef chat, String resumeAfterMessageId) {
        ObjectNode node = Json.object()
                .put("k", MESSAGES)
                .put("c", chat.chatId())
                .put("a", resumeAfterMessageId);
        return encode(node);
    }

    /** The message id to resume after. */
    static String messagesPosition(ChatRef chat, String cursor) {
        JsonNode node = decode(cursor, MESSAGES);
        requireSame(node, "c", chat.chatId());
        String after = node.path("a").asText(null);
        if (!Identifiers.isValid(after)) {
            throw invalid();
        }
        return after;
    }

    static String forVersions(ChatRef chat, String messageId, long belowVersion) {
        ObjectNode node = Json.object()
                .put("k", VERSIONS)
                .put("c", chat.chatId())
                .put("m", messageId)
                .put("b", belowVersion);
        return encode(node);
    }

    /** The version to continue below. */
    static long versionsPosition(ChatRef chat, String messageId, String cursor) {
        JsonNode node = decode(cursor, VERSIONS);
        requireSame(node, "c", chat.chatId());
        requireSame(node, "m", messageId);
        JsonNode below = node.path("b");
        if (!below.canConvertToLong() || !below.isIntegralNumber() || below.asLong() < 1) {
            throw invalid();
        }
        return below.asLong();
    }

    private static String encode(ObjectNode node) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(node));
    }

    private static JsonNode decode(String cursor, String kind) {
        if (cursor.isEmpty() || cursor.length() > MAX_CURSOR_LENGTH) {
            throw invalid();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        JsonNode node;
        try {
            node = Json.parseRequest(raw);
        } catch (ApiException e) {
            throw invalid();
        }
        if (!node.isObject() || !kind.equals(node.path("k").asText())) {
            throw invalid();
        }
        return node;
    }

    private static void requireSame(JsonNode node, String field, String expected) {
        if (!expected.equals(node.path(field).asText(null))) {
            throw new ApiException(ErrorCode.INVALID_CURSOR, "cursor belongs to a different listing");
        }
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.INVALID_CURSOR, "cursor is not one this API issued");
    }
}
