package dev.chathistory.shared.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opaque page cursors. A cursor only carries a position inside one listing (a message id, or a
 * version number) and a hash of the tenant and chat it came from; the partition to read is
 * always derived from the request, never from the cursor, so a cursor cannot reach another
 * tenant's or chat's data. A cursor presented to another tenant, chat or message is rejected
 * rather than silently reinterpreted.
 */
final class Cursors {

    static final int MAX_CURSOR_LENGTH = 1024;

    private static final String MESSAGES = "messages";
    private static final String VERSIONS = "versions";
    private static final String BRANCHES = "branches";

    private Cursors() {
    }

    /**
     * Where a history page resumes: after a message, which is archived or hot. In a branch's
     * history, {@code inBranchChain} says the message may be an inherited one (the reader then
     * finds whose it is from the id), and {@code ownPartDone} that the part it is in has no more:
     * the next page starts in the parent's.
     */
    record MessagesPosition(String after, boolean inArchive, boolean inBranchChain, boolean ownPartDone) {

        MessagesPosition(String after, boolean inArchive) {
            this(after, inArchive, false, false);
        }
    }

    static String forMessages(ChatRef chat, MessagesPosition position) {
        ObjectNode node = Json.object()
                .put("k", MESSAGES)
                .put("s", scope(chat))
                .put("a", position.after());
        if (position.inArchive()) {
            // Lets the next page go straight to the archive: one request instead of two.
            node.put("z", true);
        }
        if (position.inBranchChain()) {
            node.put("b", true);
        }
        if (position.ownPartDone()) {
            node.put("p", true);
        }
        return encode(node);
    }

    static MessagesPosition messagesPosition(ChatRef chat, String cursor) {
        JsonNode node = decode(cursor, MESSAGES);
        requireSame(node, "s", scope(chat));
        String after = node.path("a").asText(null);
        if (!Identifiers.isValid(after)) {
            throw invalid();
        }
        return new MessagesPosition(after, node.path("z").asBoolean(false), node.path("b").asBoolean(false),
                node.path("p").asBoolean(false));
    }

    static String forBranches(ChatRef parent, String afterBranchId) {
        return encode(Json.object().put("k", BRANCHES).put("s", scope(parent)).put("a", afterBranchId));
    }

    /** The branch id to continue after. */
    static String branchesPosition(ChatRef parent, String cursor) {
        JsonNode node = decode(cursor, BRANCHES);
        requireSame(node, "s", scope(parent));
        String after = node.path("a").asText(null);
        if (!Identifiers.isValid(after)) {
            throw invalid();
        }
        return after;
    }

    static String forVersions(ChatRef chat, String messageId, long belowVersion) {
        ObjectNode node = Json.object()
                .put("k", VERSIONS)
                .put("s", scope(chat))
                .put("m", messageId)
                .put("b", belowVersion);
        return encode(node);
    }

    /** The version to continue below. */
    static long versionsPosition(ChatRef chat, String messageId, String cursor) {
        JsonNode node = decode(cursor, VERSIONS);
        requireSame(node, "s", scope(chat));
        requireSame(node, "m", messageId);
        JsonNode below = node.path("b");
        if (!below.canConvertToLong() || !below.isIntegralNumber() || below.asLong() < 1) {
            throw invalid();
        }
        return below.asLong();
    }

    /**
     * Which tenant's which chat a cursor belongs to, as a hash: it binds the cursor to both
     * without putting either id in it, so a cursor shown to a client names nothing.
     */
    private static String scope(ChatRef chat) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(chat.tenantId().getBytes(StandardCharsets.UTF_8));
            // Ids cannot contain NUL, so no two (tenant, chat) pairs hash the same input.
            sha256.update((byte) 0);
            sha256.update(chat.chatId().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha256.digest(), 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
        } catch (DomainException e) {
            throw invalid();
        }
        if (!node.isObject() || !kind.equals(node.path("k").asText())) {
            throw invalid();
        }
        return node;
    }

    private static void requireSame(JsonNode node, String field, String expected) {
        if (!expected.equals(node.path(field).asText(null))) {
            throw new DomainException(Problem.INVALID_CURSOR, "cursor belongs to a different listing");
        }
    }

    private static DomainException invalid() {
        return new DomainException(Problem.INVALID_CURSOR, "cursor is not one this API issued");
    }
}
