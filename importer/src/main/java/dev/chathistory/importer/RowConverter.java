package dev.chathistory.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.service.InputLimits;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns source rows into messages, or says why a row cannot be one. Every rule here is in the
 * table of bad rows in docs/import.md; the result depends on the rows alone, so converting a chunk again
 * (a resumed import, the validation pass) gives exactly the same messages and issues.
 */
final class RowConverter {

    private static final String ID_RULE = "1-128 characters of [A-Za-z0-9._:-], not . or ..";

    /** A row that becomes a message. */
    record Converted(long legacyId, Message message) {
    }

    record Result(List<Converted> messages, List<RowIssue> issues) {
    }

    private final String importId;
    private final Map<String, Object> knownUsers;
    private final boolean usersTablePresent;
    private final int maxTextBytes;
    private final TimestampParser timestamps;

    RowConverter(String importId, Map<String, Object> knownUsers, boolean usersTablePresent, int maxTextBytes,
                 TimestampParser timestamps) {
        this.importId = importId;
        this.knownUsers = knownUsers;
        this.usersTablePresent = usersTablePresent;
        this.maxTextBytes = maxTextBytes;
        this.timestamps = timestamps;
    }

    Result convert(List<SourceRow> rows) {
        List<RowIssue> issues = new ArrayList<>();
        Map<Long, List<Candidate>> byId = new LinkedHashMap<>();
        for (SourceRow row : rows) {
            candidate(row, issues).ifPresent(c -> byId.computeIfAbsent(row.id(), k -> new ArrayList<>()).add(c));
        }
        List<Converted> messages = new ArrayList<>();
        for (List<Candidate> sameId : byId.values()) {
            assignOccurrences(sameId, messages, issues);
        }
        return new Result(messages, issues);
    }

    /** Text of an id value as the legacy database held it: integers without a fraction. */
    static String idText(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return value.toString().trim();
    }

    private record Candidate(long id, String userId, String chatId, Instant createdAt, boolean bot, String text) {
        boolean sameContent(Candidate other) {
            return userId.equals(other.userId) && chatId.equals(other.chatId) && createdAt.equals(other.createdAt)
                    && bot == other.bot && text.equals(other.text);
        }
    }

    private static final Comparator<Candidate> DETERMINISTIC = Comparator.comparing(Candidate::createdAt)
            .thenComparing(Candidate::userId).thenComparing(Candidate::chatId)
            .thenComparing(Candidate::bot).thenComparing(Candidate::text);

    private Optional<Candidate> candidate(SourceRow row, List<RowIssue> issues) {
        String userId = row.userId() == null ? null : idText(row.userId());
        if (row.id() == null) {
            issues.add(new RowIssue(row.rawId(), userId, row.rawId() == null ? RowIssue.Kind.MISSING_ID
                    : RowIssue.Kind.INVALID_ID, row.rawId() == null ? "the id is NULL" : "the id is not an integer"));
            return Optional.empty();
        }
        String sourceId = Long.toString(row.id());
        if (!Identifiers.isValid(userId)) {
            issues.add(new RowIssue(sourceId, null, RowIssue.Kind.INVALID_USER_ID,
                    userId == null ? "the user id is NULL" : "the user id is not an id (" + ID_RULE + ")"));
            return Optional.empty();
        }
        String chatId = row.chatId() == null ? userId : idText(row.chatId());
        if (!Identifiers.isValid(chatId)) {
            issues.add(new RowIssue(sourceId, userId, RowIssue.Kind.INVALID_CHAT_ID,
                    "the chat id is not an id (" + ID_RULE + ")"));
            return Optional.empty();
        }
        Optional<Instant> createdAt = timestamps.parse(row.timestamp());
        if (createdAt.isEmpty()) {
            issues.add(new RowIssue(sourceId, userId, RowIssue.Kind.INVALID_TIMESTAMP, describe(row.timestamp())));
            return Optional.empty();
        }
        String text = text(row, sourceId, userId, issues);
        try {
            // The API's rule; the text was decoded strictly as UTF-8, so only its length can fail it.
            InputLimits.checkText(text, maxTextBytes);
        } catch (DomainException tooLong) {
            issues.add(new RowIssue(sourceId, userId, RowIssue.Kind.TEXT_TOO_LONG, tooLong.getMessage()));
            return Optional.empty();
        }
        boolean bot = bot(row.isBot()).orElseGet(() -> {
            issues.add(new RowIssue(sourceId, userId, RowIssue.Kind.INVALID_IS_BOT,
                    "is_bot " + describe(row.isBot()) + " read as false"));
            return false;
        });
        if (usersTablePresent && !knownUsers.containsKey(userId)) {
            issues.add(new RowIssue(sourceId, userId, RowIssue.Kind.UNKNOWN_USER, "no such user in the users table"));
        }
        return Optional.of(new Candidate(row.id(), userId, chatId, createdAt.get(), bot, text));
    }

    private static String text(SourceRow row, String sourceId, String userId, List<RowIssue> issues) {
        if (row.content() == null || row.content().length == 0) {
            issues.add(new RowIssue(sourceId, userId, RowIssue.Kind.EMPTY_CONTENT,
                    row.content() == null ? "content is NULL; imported as empty text" : "imported as empty text"));
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(row.content()))
                    .toString();
        } catch (CharacterCodingException e) {
            issues.add(new RowIssue(sourceId, userId, RowIssue.Kind.INVALID_UTF8,
                    "bytes that are not UTF-8 became U+FFFD"));
            return new String(row.content(), StandardCharsets.UTF_8);
        }
    }

    private void assignOccurrences(List<Candidate> sameId, List<Converted> messages, List<RowIssue> issues) {
        sameId.sort(DETERMINISTIC);
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : sameId) {
            String sourceId = Long.toString(c.id());
            if (kept.stream().anyMatch(c::sameContent)) {
                issues.add(new RowIssue(sourceId, c.userId(), RowIssue.Kind.DUPLICATE_ROW,
                        "an identical row with this id is imported"));
                continue;
            }
            int occurrence = kept.size();
            if (occurrence > LegacyIds.MAX_OCCURRENCE) {
                issues.add(new RowIssue(sourceId, c.userId(), RowIssue.Kind.TOO_MANY_DUPLICATES,
                        "more than " + (LegacyIds.MAX_OCCURRENCE + 1) + " different rows share this id"));
                continue;
            }
            if (occurrence > 0) {
                issues.add(new RowIssue(sourceId, c.userId(), RowIssue.Kind.DUPLICATE_ID,
                        "another row has this id; imported as occurrence " + occurrence));
            }
            kept.add(c);
            ObjectNode metadata = Json.object();
            ObjectNode legacy = metadata.putObject("legacy").put("id", c.id());
            if (occurrence > 0) {
                legacy.put("occurrence", occurrence);
            }
            String messageId = LegacyIds.messageId(c.createdAt(), c.id(), occurrence);
            messages.add(new Converted(c.id(), new Message(c.chatId(), messageId, c.userId(), c.bot(), c.text(),
                    metadata, 1, null, false, c.createdAt(), null, importId, null)));
        }
    }

    private static Optional<Boolean> bot(Object value) {
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof Number n && (n.intValue() == 0 || n.intValue() == 1) && n.doubleValue() == n.intValue()) {
            return Optional.of(n.intValue() == 1);
        }
        if (value instanceof String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (Arrays.asList("1", "true", "t", "yes", "y").contains(v)) {
                return Optional.of(true);
            }
            if (Arrays.asList("0", "false", "f", "no", "n").contains(v)) {
                return Optional.of(false);
            }
        }
        return Optional.empty();
    }

    /** The kind of value and, for short ones, the value: a timestamp or flag, never message text. */
    private static String describe(Object value) {
        if (value == null) {
            return "NULL";
        }
        String text = value.toString();
        return value.getClass().getSimpleName() + " '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
    }
}
