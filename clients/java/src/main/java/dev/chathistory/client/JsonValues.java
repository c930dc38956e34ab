package dev.chathistory.client;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON values inside immutable records: copied in and out, JSON {@code null} read as absent. */
final class JsonValues {

    private JsonValues() {
    }

    static JsonNode copyOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.deepCopy();
    }
}
