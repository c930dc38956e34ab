package dev.chathistory.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.metrics.ServiceMetrics;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.retention.ChatRetention;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryErasures;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write pass on in-memory repositories, from a small SQLite source. */
class ImporterTest {

    private static final String TENANT = "t1";
    private static final Instant T1 = Instant.parse("2023-05-01T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);
    private static final Instant T3 = T2.plusSeconds(60);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryErasures erasures = new InMemoryErasures();
    private final InMemoryRetentionRepository policies = new InMemoryRetentionRepository();
    private final Map<String, Integer> erasureLookups = new HashMap<>();
    private SourceDatabase source;

    @BeforeEach
    void source() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("bot.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (user_id INTEGER, last_activity TEXT)");
            s.execute("CREATE TABLE chat_history (id INTEGER, user_id INTEGER, timestamp TEXT, is_bot INTEGER, "
                    + "content TEXT)");
            s.execute("CREATE TABLE message_attachments (id INTEGER, message_id INTEGER, type TEXT, hash TEXT, "
                    + "path TEXT)");
            s.execute("INSERT INTO users VALUES (1, NULL), (2, NULL)");
            s.execute("INSERT INTO chat_history VALUES (1, 1, '" + T1 + "', 0, 'one'), (2, 1, '" + T2
                    + "', 1, 'two'), (3, 1, '" + T3 + "', 0, 'three'), (4, 2, '" + T1 + "', 0, 'other')");
        }
        source = new SourceDatabase(url, Mapping.defaults());
    }

    @AfterEach
    void close() throws Exception {
        source.close();
    }

    @Test
    void write_shouldSkipAUsersRowsUpToTheirEraseCutoff_readingTheTombstoneOncePerUser() throws Exception {
        erasures.record(new UserRef(TENANT, "1"), T2, "erase-1");
        ChunkPlanner planner = planner("imp-1");

        Importer.Written written = importer(planner, new InMemoryImportLedger(), 1).write(TENANT, "imp-1", "bot.db");

        assertThat(texts("1")).as("the row at the cutoff and the one before it stay erased").containsExactly("three");
        assertThat(texts("2")).containsExactly("other");
        assertThat(written.rowsRead()).isEqualTo(4);
        assertThat(erasureLookups).isEqualTo(Map.of("1", 1, "2", 1));
        List<RowIssue> issues = planner.plan(source.nextChunk(null, 10).rows()).issues();
        assertThat(issues).extracting(RowIssue::sourceId, RowIssue::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("1", RowIssue.Kind.ERASED_USER),
                org.assertj.core.groups.Tuple.tuple("2", RowIssue.Kind.ERASED_USER));
        assertThat(RowIssue.Kind.ERASED_USER.rowImported()).isFalse();
    }

    @Test
    void write_shouldStampImportedMessagesWithTheirExpiry_underTheTenantsOrTheChatsRetention() throws Exception {
        policies.setTenantDays(TENANT, OptionalInt.of(3650), T1);
        policies.setChat(new ChatRef(TENANT, "2"), new ChatRetention(null, true), T1);

        importer(planner("imp-1"), new InMemoryImportLedger(), 10).write(TENANT, "imp-1", "bot.db");

        assertThat(allMessages()).isNotEmpty().allSatisfy(m -> assertThat(m.expiresAt()).as(m.chatId())
                .isEqualTo(m.chatId().equals("2") ? null
                        : m.createdAt().plus(Duration.ofDays(3650)).truncatedTo(ChronoUnit.SECONDS)));
    }

    @Test
    void write_shouldLeaveEveryMessageAnotherImportWroteOrABotChanged_whenTheImportIdIsNew() throws Exception {
        importer(planner("imp-1"), new InMemoryImportLedger(), 2).write(TENANT, "imp-1", "bot.db");
        Message edited = editFirst("1");

        Importer.Written written = importer(planner("imp-2"), new InMemoryImportLedger(), 2)
                .write(TENANT, "imp-2", "bot.db");

        assertThat(written.messagesKept()).isEqualTo(4);
        assertThat(messages.find(new ChatRef(TENANT, "1"), edited.messageId())).contains(edited);
        assertThat(allMessages()).allMatch(m -> m.importId().equals("imp-1"));
    }

    @Test
    void write_shouldRewriteItsOwnUnchangedMessages_butNotOneABotEdited_whenTheSameImportRunsAgain()
            throws Exception {
        InMemoryImportLedger ledger = new InMemoryImportLedger();
        importer(planner("imp-1"), ledger, 2).write(TENANT, "imp-1", "bot.db");
        Message edited = editFirst("1");
        List<Message> before = allMessages();
        ledger.forgetPosition(TENANT, "imp-1");

        Importer.Written written = importer(planner("imp-1"), ledger, 2).write(TENANT, "imp-1", "bot.db");

        assertThat(written.messagesKept()).as("only the edited one").isEqualTo(1);
        assertThat(messages.find(new ChatRef(TENANT, "1"), edited.messageId())).contains(edited);
        assertThat(allMessages()).isEqualTo(before);
    }

    private Message editFirst(String chatId) {
        ChatRef chat = new ChatRef(TENANT, chatId);
        Message current = messages.listOldestFirst(chat, "Z", 1).get(0);
        Message next = current.nextVersion("corrected by the bot", current.metadata(), false, CLOCK.instant());
        messages.replace(chat, next, current.version(), current.toVersion());
        return next;
    }

    private ChunkPlanner planner(String importId) throws Exception {
        RowConverter converter = new RowConverter(importId, source.users(), true, 1000,
                new TimestampParser(CLOCK.instant()));
        return new ChunkPlanner(TENANT, converter, source, new InMemoryArchiveIndex(messages), countingErasures(),
                dir, false, 0);
    }

    private Erasures countingErasures() {
        return new Erasures() {
            @Override
            public void record(UserRef user, Instant cutoff, String jobId) {
                erasures.record(user, cutoff, jobId);
            }

            @Override
            public Optional<Instant> erasedUpTo(UserRef user) {
                erasureLookups.merge(user.userId(), 1, Integer::sum);
                return erasures.erasedUpTo(user);
            }
        };
    }

    private Importer importer(ChunkPlanner planner, ImportLedger ledger, int chunkSize) {
        return new Importer(source, planner, messages, new InMemoryUserRepository(), ledger, null, CLOCK, chunkSize,
                Progress.none(),
                new Retention(policies, Duration.ofHours(1), ServiceMetrics.noop(), null, null, CLOCK));
    }

    private List<String> texts(String chatId) {
        List<String> texts = new ArrayList<>();
        messages.forEachMessage(new ChatRef(TENANT, chatId), null, m -> texts.add(m.text()));
        return texts;
    }

    private List<Message> allMessages() {
        List<Message> all = new ArrayList<>();
        for (String chat : List.of("1", "2")) {
            messages.forEachMessage(new ChatRef(TENANT, chat), null, all::add);
        }
        return all;
    }
}
