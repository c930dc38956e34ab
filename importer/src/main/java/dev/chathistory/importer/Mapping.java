package dev.chathistory.importer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Which tables and columns of the legacy database hold what. The defaults are the original bot's
 * schema; a YAML file overrides any of them. Names end up in SQL, so each must be a plain SQL
 * identifier: nothing in the file can inject SQL.
 */
public record Mapping(Messages messages, Users users, Attachments attachments) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** {@code chatId} null: each user's history is one chat, named by the user id. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Messages(String table, String id, String userId, String chatId, String timestamp, String isBot,
                           String content) {
        public Messages {
            table = orDefault(table, "chat_history");
            id = orDefault(id, "id");
            userId = orDefault(userId, "user_id");
            timestamp = orDefault(timestamp, "timestamp");
            isBot = orDefault(isBot, "is_bot");
            content = orDefault(content, "content");
        }
    }

    /** {@code table} "none": no users table; every user then counts as known. */
    public record Users(String table, String userId, String lastActivity) {
        public Users {
            table = orDefault(table, "users");
            userId = orDefault(userId, "user_id");
            lastActivity = orDefault(lastActivity, "last_activity");
        }

        public boolean present() {
            return !"none".equals(table);
        }
    }

    /** {@code table} "none": no attachments table. */
    public record Attachments(String table, String id, String messageId, String type, String hash, String path) {
        public Attachments {
            table = orDefault(table, "message_attachments");
            id = orDefault(id, "id");
            messageId = orDefault(messageId, "message_id");
            type = orDefault(type, "type");
            hash = orDefault(hash, "hash");
            path = orDefault(path, "path");
        }

        public boolean present() {
            return !"none".equals(table);
        }
    }

    public Mapping {
        messages = messages == null ? new Messages(null, null, null, null, null, null, null) : messages;
        users = users == null ? new Users(null, null, null) : users;
        attachments = attachments == null ? new Attachments(null, null, null, null, null, null) : attachments;
        for (String name : new String[] {messages.table(), messages.id(), messages.userId(), messages.timestamp(),
                messages.isBot(), messages.content(), users.table(), users.userId(), users.lastActivity(),
                attachments.table(), attachments.id(), attachments.messageId(), attachments.type(),
                attachments.hash(), attachments.path()}) {
            requireIdentifier(name);
        }
        if (messages.chatId() != null) {
            requireIdentifier(messages.chatId());
        }
    }

    public static Mapping defaults() {
        return new Mapping(null, null, null);
    }

    public static Mapping load(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Mapping mapping = yaml.readValue(file.toFile(), Mapping.class);
        return mapping == null ? defaults() : mapping;
    }

    /** Double-quoted, as both SQLite and PostgreSQL take it; safe because names are plain identifiers. */
    static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    private static void requireIdentifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("mapping: '" + name + "' is not a plain SQL name ([A-Za-z_][A-Za-z0-9_]*)");
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
