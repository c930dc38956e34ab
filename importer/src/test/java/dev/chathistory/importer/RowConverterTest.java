package dev.chathistory.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.model.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowConverterTest {

    private static final String AT = "2023-05-01T10:00:00Z";
    private final RowConverter converter = new RowConverter("imp-1", Map.of("42", "x"), true, 100,
            new TimestampParser(Instant.parse("2026-11-28T00:00:00Z")));

    private static SourceRow row(long id, Object user, Object timestamp, Object bot, String text) {
        return new SourceRow(id, Long.toString(id), user, null, timestamp, bot,
                text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> kinds(RowConverter.Result result) {
        return result.issues().stream().map(i -> i.kind().code()).toList();
    }

    @Test
    void aGoodRowBecomesAMessageOfTheUsersChatCarryingTheImport() {
        RowConverter.Result result = converter.convert(List.of(row(7, 42L, AT, 1, "hello")));

        assertThat(result.issues()).isEmpty();
        Message m = result.messages().get(0).message();
        assertThat(m.chatId()).isEqualTo("42");
        assertThat(m.userId()).isEqualTo("42");
        assertThat(m.bot()).isTrue();
        assertThat(m.text()).isEqualTo("hello");
        assertThat(m.createdAt()).isEqualTo(Instant.parse(AT));
        assertThat(m.importId()).isEqualTo("imp-1");
        assertThat(m.metadata().path("legacy").path("id").asLong()).isEqualTo(7);
        assertThat(m.messageId()).isEqualTo(LegacyIds.messageId(Instant.parse(AT), 7, 0));
    }

    @Test
    void everyBadKindIsReportedAndOnlyTheUnusableOnesAreSkipped() {
        RowConverter.Result result = converter.convert(List.of(
                row(1, 42L, "garbage", 0, "a"),
                row(2, 42L, AT, 0, null),
                row(3, 42L, AT, 0, "x".repeat(101)),
                row(4, 99L, AT, 0, "who?"),
                row(5, 42L, AT, "perhaps", "b"),
                row(6, "bad#id", AT, 0, "c"),
                new SourceRow(8L, "8", 42L, null, AT, 0, new byte[] {'o', 'k', (byte) 0xFF})));

        assertThat(kinds(result)).containsExactly("invalid_timestamp", "empty_content", "text_too_long",
                "unknown_user", "invalid_is_bot", "invalid_user_id", "invalid_utf8");
        assertThat(result.messages()).extracting(c -> c.legacyId()).containsExactly(2L, 4L, 5L, 8L);
        assertThat(result.messages().get(0).message().text()).isEmpty();
        assertThat(result.messages().get(2).message().bot()).isFalse();
        assertThat(result.messages().get(3).message().text()).isEqualTo("ok\uFFFD");
    }

    @Test
    void dotSegmentIdsAreReportedAndSkipped_likeAnyInvalidId() {
        RowConverter.Result result = converter.convert(List.of(
                row(1, "..", AT, 0, "a"),
                new SourceRow(2L, "2", 42L, ".", AT, 0, "b".getBytes(StandardCharsets.UTF_8))));

        assertThat(kinds(result)).containsExactly("invalid_user_id", "invalid_chat_id");
        assertThat(result.messages()).isEmpty();
    }

    @Test
    void duplicateIdsKeepEveryDistinctRowInADeterministicOrder() {
        List<SourceRow> rows = List.of(
                row(9, 42L, "2023-05-01T10:00:05Z", 0, "second"),
                row(9, 42L, AT, 0, "first"),
                row(9, 42L, AT, 0, "first"));
        RowConverter.Result once = converter.convert(rows);
        RowConverter.Result reversed = converter.convert(List.of(rows.get(2), rows.get(0), rows.get(1)));

        assertThat(kinds(once)).containsExactly("duplicate_row", "duplicate_id");
        assertThat(once.messages()).extracting(c -> c.message().text()).containsExactly("first", "second");
        assertThat(once.messages().get(1).message().messageId())
                .isEqualTo(LegacyIds.messageId(Instant.parse("2023-05-01T10:00:05Z"), 9, 1));
        assertThat(reversed.messages()).extracting(c -> c.message().messageId())
                .isEqualTo(once.messages().stream().map(c -> c.message().messageId()).toList());
    }
}
