package dev.chathistory.messageapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.attachments.AttachmentService;
import dev.chathistory.messageapi.http.ApiException;
import dev.chathistory.messageapi.http.ErrorCode;
import dev.chathistory.shared.retention.ChatRetention;
import dev.chathistory.shared.retention.RetentionPolicy;
import dev.chathistory.shared.service.MessageEdit;
import dev.chathistory.shared.service.NewMessage;
import java.util.Iterator;
import java.util.Set;

/**
 * Turns request JSON into commands, with one clear message per mistake. Unknown fields are
 * rejected so a typo ({@code "txt"}) fails loudly instead of being silently dropped.
 */
final class MessageBodies {

    private static final Set<String> APPEND_FIELDS = Set.of("userId", "isBot", "text", "metadata");
    private static final Set<String> EDIT_FIELDS = Set.of("text", "metadata");
    private static final Set<String> JOB_FIELDS = Set.of("type", "chatId");
    private static final Set<String> UPLOAD_FIELDS = Set.of("contentType", "size", "filename");
    private static final Set<String> RETENTION_FIELDS = Set.of("days", "legalHold");
    private static final Set<String> HOLD_FIELDS = Set.of("legalHold");
    private static final Set<String> BRANCH_FIELDS = Set.of("fromMessageId");

    /** A job submission: {@code type} and, for archive jobs, an optional {@code chatId}. */
    record JobSubmission(String type, String chatId) {
    }

    private MessageBodies() {
    }

    static NewMessage newMessage(JsonNode body) {
        ObjectNode object = object(body, "request body");
        onlyKnownFields(object, APPEND_FIELDS);
        return new NewMessage(
                requiredString(object, "userId"),
                requiredBoolean(object, "isBot"),
                requiredString(object, "text"),
                optionalObject(object, "metadata"));
    }

    static MessageEdit edit(JsonNode body) {
        ObjectNode object = object(body, "request body");
        onlyKnownFields(object, EDIT_FIELDS);
        String text = null;
        if (object.has("text")) {
            text = requiredString(object, "text");
        }
        boolean replaceMetadata = object.has("metadata");
        return new MessageEdit(text, replaceMetadata, optionalObject(object, "metadata"));
    }

    static JobSubmission job(JsonNode body) {
        ObjectNode object = object(body, "request body");
        onlyKnownFields(object, JOB_FIELDS);
        String chatId = object.hasNonNull("chatId") ? requiredString(object, "chatId") : null;
        return new JobSubmission(requiredString(object, "type"), chatId);
    }

    static AttachmentService.UploadRequest upload(JsonNode body) {
        ObjectNode object = object(body, "request body");
        onlyKnownFields(object, UPLOAD_FIELDS);
        JsonNode size = object.get("size");
        if (size == null || size.isNull()) {
            throw invalid("size is required");
        }
        if (!size.isIntegralNumber() || !size.canConvertToLong()) {
            throw invalid("size must be a whole number of bytes");
        }
        String filename = object.hasNonNull("filename") ? requiredString(object, "filename") : null;
        return new AttachmentService.UploadRequest(requiredString(object, "contentType"), size.longValue(), filename);
    }

    /** A chat's retention: {@code days} (absent or null: the tenant's) and {@code legalHold} (required). */
    static ChatRetention retention(JsonNode body) {
        ObjectNode object = object(body, "request body");
        onlyKnownFields(object, RETENTION_FIELDS);
        JsonNode days = object.get("days");
        Integer value = null;
        if (days != null && !days.isNull()) {
            if (!days.isIntegralNumber() || !days.canConvertToInt() || days.intValue() < 1
                    || days.intValue() > RetentionPolicy.MAX_DAYS) {
                throw invalid("days must be a whole number from 1 to " + RetentionPolicy.MAX_DAYS + ", or null");
            }
            value = days.intValue();
        }
        return new ChatRetention(value, requiredBoolean(object, "legalHold"));
    }

    /** A new branch: {@code {"fromMessageId": ...}}, the message it forks from. */
    static String branch(JsonNode body) {
        ObjectNode object = object(body, "request body");
        onlyKnownFields(object, BRANCH_FIELDS);
        return requiredString(object, "fromMessageId");
    }

    /** A user's legal hold: {@code {"legalHold": true|false}}. */
    static boolean hold(JsonNode body) {
        ObjectNode object = object(body, "request body");
        onlyKnownFields(object, HOLD_FIELDS);
        return requiredBoolean(object, "legalHold");
    }

    static ObjectNode object(JsonNode body, String what) {
        if (!body.isObject()) {
            throw invalid(what + " must be a JSON object");
        }
        return (ObjectNode) body;
    }

    private static void onlyKnownFields(ObjectNode object, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw invalid("unknown field '" + abbreviate(name) + "'; allowed: " + String.join(", ",
                        known.stream().sorted().toList()));
            }
        }
    }

    private static String requiredString(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw invalid(field + " is required");
        }
        if (!value.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return value.textValue();
    }

    private static boolean requiredBoolean(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw invalid(field + " is required");
        }
        if (!value.isBoolean()) {
            throw invalid(field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static JsonNode optionalObject(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw invalid(field + " must be a JSON object");
        }
        return value;
    }

    private static String abbreviate(String name) {
        return name.length() <= 40 ? name : name.substring(0, 40) + "...";
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, message);
    }
}
