package dev.chathistory.userbatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * Where an export has got to, saved in its job record after each delivery: the multipart upload
 * and the ETags of its parts so far, the chats to write (listed once, at the start), how many are
 * written, and the object holding the compressed bytes written since the last part (less than a
 * part; S3 refuses small parts but the last).
 */
final class ExportCheckpoint {

    final String uploadId;
    final List<String> chats;
    final List<String> partETags;
    final Map<String, Long> totals = new LinkedHashMap<>();
    int chatsWritten;
    String carryKey;
    int deliveries;

    ExportCheckpoint(String uploadId, List<String> chats) {
        this.uploadId = uploadId;
        this.chats = List.copyOf(chats);
        this.partETags = new ArrayList<>();
    }

    String toJson() {
        ObjectNode node = Json.object().put("uploadId", uploadId).put("chatsWritten", chatsWritten)
                .put("carryKey", carryKey).put("deliveries", deliveries);
        ArrayNode chatArray = node.putArray("chats");
        chats.forEach(chatArray::add);
        ArrayNode parts = node.putArray("parts");
        partETags.forEach(parts::add);
        ObjectNode counts = node.putObject("totals");
        totals.forEach(counts::put);
        return Json.write(node);
    }

    static ExportCheckpoint fromJson(String json) {
        JsonNode node = Json.parseTrusted(json);
        ExportCheckpoint checkpoint = new ExportCheckpoint(node.path("uploadId").asText(), texts(node.path("chats")));
        checkpoint.partETags.addAll(texts(node.path("parts")));
        checkpoint.chatsWritten = node.path("chatsWritten").asInt();
        checkpoint.carryKey = node.hasNonNull("carryKey") ? node.get("carryKey").asText() : null;
        checkpoint.deliveries = node.path("deliveries").asInt();
        node.path("totals").fields().forEachRemaining(e -> checkpoint.totals.put(e.getKey(), e.getValue().asLong()));
        return checkpoint;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
