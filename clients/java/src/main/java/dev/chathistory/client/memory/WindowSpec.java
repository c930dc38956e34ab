package dev.chathistory.client.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Which stored messages make up a memory's window, in order: the messages named by id (a system
 * message kept while older turns were evicted), then every remembered message from position
 * {@code from} on, in position order. Kept in the newest remembered message's metadata, so
 * reading a window pages back only as far as {@code from}, however long the conversation.
 *
 * @param from the first position of the window's tail, or {@code null} when it has none
 */
record WindowSpec(List<String> ids, Long from) {

    WindowSpec {
        ids = List.copyOf(ids);
    }

    static final WindowSpec EMPTY = new WindowSpec(List.of(), null);

    /** A conversation written without windows (by the Python history): all of it. */
    static final WindowSpec EVERYTHING = new WindowSpec(List.of(), 0L);

    /**
     * The spec of {@code window}, given the highest position stored: the longest suffix of
     * consecutive positions ending at {@code newest} is the tail, the rest is named by id.
     */
    static WindowSpec of(List<StoredEntry> window, long newest) {
        int tailStart = window.size();
        long expected = newest;
        while (tailStart > 0 && window.get(tailStart - 1).pos() == expected) {
            tailStart--;
            expected--;
        }
        List<String> ids = new ArrayList<>();
        for (StoredEntry entry : window.subList(0, tailStart)) {
            ids.add(entry.messageId());
        }
        return new WindowSpec(ids, tailStart == window.size() ? null : window.get(tailStart).pos());
    }

    JsonNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ids.forEach(node.putArray("ids")::add);
        if (from != null) {
            node.put("from", from);
        }
        return node;
    }

    static WindowSpec fromJson(JsonNode node) {
        List<String> ids = new ArrayList<>();
        node.path("ids").forEach(id -> ids.add(id.asText()));
        JsonNode from = node.get("from");
        return new WindowSpec(ids, from == null || !from.canConvertToLong() ? null : from.asLong());
    }
}
