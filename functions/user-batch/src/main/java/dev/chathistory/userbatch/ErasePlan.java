package dev.chathistory.userbatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.Timestamps;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an erase is doing, saved in its job record as its checkpoint: the cutoff (everything the
 * user stored up to it goes), every chat it must visit (the directory at the start, plus any chat
 * filed since), the chats done, chunk objects the index no longer names that still await
 * deletion, and when the directory settles. A rerun after a crash resumes from here, so a chat
 * is never forgotten unvisited and a crash never loses sight of one.
 */
final class ErasePlan {

    private final Instant cutoff;
    private final Set<String> chats = new LinkedHashSet<>();
    private final Set<String> done = new LinkedHashSet<>();
    private final Set<String> pendingDeletes = new LinkedHashSet<>();
    private final Map<String, Long> totals = new LinkedHashMap<>();
    private Instant settleAt;
    private boolean profileErased;

    ErasePlan(Instant cutoff, Collection<String> chats) {
        this.cutoff = cutoff;
        this.chats.addAll(chats);
    }

    Instant cutoff() {
        return cutoff;
    }

    /** Adds chats filed since the plan was made; says whether any was new. */
    boolean include(Collection<String> filed) {
        return chats.addAll(filed);
    }

    List<String> chats() {
        return List.copyOf(chats);
    }

    List<String> pending() {
        return chats.stream().filter(c -> !done.contains(c)).toList();
    }

    void chatDone(String chatId) {
        done.add(chatId);
    }

    /** Visits the chat again: the final read-back found something of the user in it. */
    void reopen(String chatId) {
        done.remove(chatId);
        settleAt = null;
    }

    boolean profileErased() {
        return profileErased;
    }

    void profileErased(boolean erased) {
        profileErased = erased;
    }

    Set<String> pendingDeletes() {
        return Set.copyOf(pendingDeletes);
    }

    void deleteLater(String objectKey) {
        pendingDeletes.add(objectKey);
    }

    void deleted(String objectKey) {
        pendingDeletes.remove(objectKey);
    }

    /** Adds what a step did to the totals, which are saved with the step. */
    void count(JobOutcome.Counts step) {
        step.outcome().counts().forEach((name, value) -> totals.merge(name, value, Long::sum));
    }

    /** Everything counted so far, across deliveries. */
    JobOutcome.Counts totals() {
        JobOutcome.Counts counts = new JobOutcome.Counts();
        totals.forEach(counts::add);
        return counts;
    }

    Instant settleAt() {
        return settleAt;
    }

    void settleAt(Instant at) {
        settleAt = at;
    }

    String toJson() {
        ObjectNode node = Json.object().put("cutoff", Timestamps.format(cutoff));
        array(node, "chats", chats);
        array(node, "done", done);
        array(node, "pendingDeletes", pendingDeletes);
        if (settleAt != null) {
            node.put("settleAt", Timestamps.format(settleAt));
        }
        node.put("profileErased", profileErased);
        ObjectNode counts = node.putObject("totals");
        totals.forEach(counts::put);
        return Json.write(node);
    }

    static ErasePlan fromJson(String json) {
        JsonNode node = Json.parseTrusted(json);
        ErasePlan plan = new ErasePlan(Timestamps.parse(node.path("cutoff").asText()), texts(node.path("chats")));
        plan.done.addAll(texts(node.path("done")));
        plan.pendingDeletes.addAll(texts(node.path("pendingDeletes")));
        plan.profileErased = node.path("profileErased").asBoolean();
        node.path("totals").fields().forEachRemaining(e -> plan.totals.put(e.getKey(), e.getValue().asLong()));
        if (node.hasNonNull("settleAt")) {
            plan.settleAt = Timestamps.parse(node.get("settleAt").asText());
        }
        return plan;
    }

    private static void array(ObjectNode node, String name, Collection<String> values) {
        ArrayNode array = node.putArray(name);
        values.forEach(array::add);
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
