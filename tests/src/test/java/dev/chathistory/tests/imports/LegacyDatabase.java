package dev.chathistory.tests.imports;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * A legacy bot database in the original schema, made in the test: {@code users},
 * {@code chat_history} (no primary key, as such tables often had none, so ids can repeat) and
 * {@code message_attachments}, with every kind of bad row docs/import.md lists, and beside it the
 * model of what an import must make of each row. The model is written from how the rows were
 * generated (the instant each timestamp was made from, the text each row was given), never from
 * the importer's code, so the import is checked against an independent account.
 */
final class LegacyDatabase {

    /** The bad kinds, as the importer's report names them, and how many rows of each are made. */
    enum Bad {
        EMPTY_CONTENT(10), INVALID_UTF8(5), DUPLICATE_ROW(5), DUPLICATE_ID(5), INVALID_TIMESTAMP(8),
        TEXT_TOO_LONG(3), UNKNOWN_USER(0), MISSING_ID(2), INVALID_IS_BOT(3),
        ATTACHMENT_FILE_MISSING(4), ATTACHMENT_NOT_AN_IMAGE(2);

        final int rows;

        Bad(int rows) {
            this.rows = rows;
        }

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A message the import must produce, in the legacy order keys. */
    record Expected(long legacyId, int occurrence, String userId, Instant createdAt, boolean bot, String text) {
    }

    static final int USERS = 120;
    static final int UNKNOWN_USERS = 4;
    static final long FIRST_USER = 7_000_000_000L; // Telegram-sized ids
    private static final Instant START = Instant.parse("2023-03-01T00:00:00Z");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final String[] WORDS = {"hello", "bot", "привет", "weather", "größe", "¿qué", "tal?", "🙂",
            "schedule", "remind", "me", "tomorrow", "at", "nine", "спасибо", "ok", "the", "list", "日本語", "done"};

    final boolean postgres;
    final List<Expected> expected = new ArrayList<>();
    final Map<Bad, Integer> badRows = new EnumMap<>(Bad.class);
    /** Rows the import skips (NULL id and such), which still count as read. */
    int rows;
    int imagesStored;

    private final Random random = new Random(20261128L);
    private final Connection connection;

    private LegacyDatabase(Connection connection, boolean postgres) {
        this.connection = connection;
        this.postgres = postgres;
    }

    /** Builds {@code total} message rows (about) in a fresh database at {@code jdbcUrl}; files go to {@code dir}. */
    static LegacyDatabase build(String jdbcUrl, boolean postgres, int total, Path dir) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            connection.setAutoCommit(false);
            LegacyDatabase db = new LegacyDatabase(connection, postgres);
            db.create();
            db.fill(total, dir);
            connection.commit();
            return db;
        }
    }

    /** Expected messages per chat (= user), newest first, as paging must return them. */
    Map<String, List<Expected>> newestFirstByUser() {
        Map<String, List<Expected>> byUser = new TreeMap<>();
        for (Expected e : expected) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        Comparator<Expected> order = Comparator.comparing((Expected e) -> e.createdAt().toEpochMilli())
                .thenComparingLong(Expected::legacyId).thenComparingInt(Expected::occurrence);
        byUser.values().forEach(list -> list.sort(order.reversed()));
        return byUser;
    }

    private void create() throws SQLException {
        String idType = postgres ? "BIGINT" : "INTEGER";
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE users (user_id " + idType + " PRIMARY KEY, last_activity TEXT, username TEXT)");
            // No key on id, and a text timestamp column: both hold whatever the old bot wrote.
            s.execute("CREATE TABLE chat_history (id " + idType + ", user_id " + idType + ", timestamp TEXT, "
                    + "is_bot " + (postgres ? "TEXT" : "INTEGER") + ", content TEXT)");
            s.execute("CREATE TABLE message_attachments (id " + idType + " PRIMARY KEY, message_id " + idType
                    + ", type TEXT, hash TEXT, path TEXT, created_at TEXT)");
        }
    }

    private void fill(int total, Path dir) throws Exception {
        try (PreparedStatement users = connection.prepareStatement("INSERT INTO users VALUES (?, ?, ?)")) {
            for (int u = 0; u < USERS - UNKNOWN_USERS; u++) {
                users.setLong(1, FIRST_USER + u);
                users.setString(2, SPACED.format(START.plusSeconds(400L * 24 * 3600)));
                users.setString(3, "user" + u);
                users.addBatch();
            }
            users.executeBatch();
        }
        Files.createDirectories(dir.resolve("files"));
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO chat_history VALUES (?, ?, ?, ?, ?)");
             PreparedStatement attach = connection.prepareStatement(
                     "INSERT INTO message_attachments VALUES (?, ?, ?, ?, ?, ?)")) {
            Map<Bad, Integer> left = new EnumMap<>(Bad.class);
            for (Bad bad : Bad.values()) {
                left.put(bad, postgres && bad == Bad.INVALID_UTF8 ? 0 : bad.rows); // PostgreSQL text refuses bad UTF-8
            }
            long id = 1;
            long attachmentId = 1;
            int imagesLeft = 6;
            List<Object[]> written = new ArrayList<>();
            long previousUser = FIRST_USER;
            Instant previousAt = START;
            for (int n = 0; n < total; n++, id += 1 + (random.nextInt(10) == 0 ? 1 : 0)) {
                // Mostly rising with the id, sometimes earlier than the row before (late writes), and
                // every tenth message shares the second and chat of the one before: ties broken by the id.
                boolean tie = n % 10 == 3;
                long user = tie ? previousUser : FIRST_USER + random.nextInt(USERS);
                String userId = Long.toString(user);
                Instant at = tie ? previousAt : START.plusSeconds(id * 47 - (random.nextInt(8) == 0 ? 500 : 0));
                previousUser = user;
                previousAt = at;
                boolean bot = random.nextBoolean();
                String text = sentence();
                Object timestamp = timestamp(at, n);
                Instant expectedAt = at;
                Object isBot = bot ? 1 : 0;
                byte[] rawContent = null;
                Bad kind = pick(left, n);
                boolean imported = true;
                switch (kind == null ? "none" : kind.name()) {
                    case "EMPTY_CONTENT" -> text = n % 2 == 0 ? null : "";
                    case "INVALID_UTF8" -> rawContent = new byte[] {'c', 'a', 'f', (byte) 0xC3, ' ', (byte) 0xFF, '!'};
                    case "INVALID_TIMESTAMP" -> {
                        timestamp = new String[] {"yesterday", "2023-13-45 25:61:00", null, "1e400"}[n % 4];
                        imported = false;
                    }
                    case "TEXT_TOO_LONG" -> {
                        text = "x".repeat(40_000);
                        imported = false;
                    }
                    case "MISSING_ID" -> imported = false;
                    case "INVALID_IS_BOT" -> {
                        isBot = "maybe";
                        bot = false;
                    }
                    default -> { }
                }
                Long rowId = kind == Bad.MISSING_ID ? null : id;
                insertRow(insert, rowId, user, timestamp, isBot, text, rawContent);
                rows++;
                written.add(new Object[] {rowId, user, timestamp, isBot, text, rawContent, expectedAt, bot});
                if (imported) {
                    String stored = rawContent != null ? new String(rawContent, StandardCharsets.UTF_8)
                            : text == null ? "" : text;
                    expected.add(new Expected(id, 0, userId, expectedAt, bot, stored));
                    if (user >= FIRST_USER + USERS - UNKNOWN_USERS) {
                        badRows.merge(Bad.UNKNOWN_USER, 1, Integer::sum);
                    }
                }
                if (kind != null) {
                    badRows.merge(kind, 1, Integer::sum);
                }
                if (kind == null && imported && n % 37 == 5) {
                    Bad attachmentKind = pick(left, -1);
                    String path = "files/" + attachmentId + (attachmentKind == null ? ".png" : ".jpg");
                    if (attachmentKind == Bad.ATTACHMENT_NOT_AN_IMAGE) {
                        Files.writeString(dir.resolve(path), "not an image at all");
                        badRows.merge(attachmentKind, 1, Integer::sum);
                    } else if (attachmentKind == Bad.ATTACHMENT_FILE_MISSING) {
                        badRows.merge(attachmentKind, 1, Integer::sum);
                    } else if (imagesLeft > 0) {
                        writeImage(dir.resolve(path), (int) attachmentId);
                        imagesLeft--;
                        imagesStored++;
                    } else {
                        continue;
                    }
                    attach.setLong(1, attachmentId++);
                    attach.setLong(2, id);
                    attach.setString(3, "photo");
                    attach.setString(4, "legacy-hash-" + attachmentId);
                    attach.setString(5, path);
                    attach.setString(6, SPACED.format(at));
                    attach.executeUpdate();
                }
            }
            duplicates(insert, written, left);
            insert.executeBatch();
        }
    }

    /** Rows repeating an id: exact copies (skipped) and rows with other content (imported as occurrence 1). */
    private void duplicates(PreparedStatement insert, List<Object[]> written, Map<Bad, Integer> left)
            throws SQLException {
        int copies = left.get(Bad.DUPLICATE_ROW);
        int others = left.get(Bad.DUPLICATE_ID);
        for (int i = 0; copies > 0 || others > 0; i += 97) {
            Object[] row = written.get(100 + i);
            if (row[0] == null || row[4] == null || row[5] != null || "maybe".equals(row[3])
                    || (Long) row[1] >= FIRST_USER + USERS - UNKNOWN_USERS
                    || expected.stream().noneMatch(e -> e.legacyId() == (Long) row[0])) {
                continue;
            }
            if (copies > 0) {
                insertRow(insert, (Long) row[0], (Long) row[1], row[2], row[3], (String) row[4], null);
                badRows.merge(Bad.DUPLICATE_ROW, 1, Integer::sum);
                copies--;
            } else {
                // Later than the original, so it sorts after it as the id's second occurrence.
                Instant later = ((Instant) row[6]).plusMillis(1500);
                String text = "edited copy " + i;
                insertRow(insert, (Long) row[0], (Long) row[1], later.toString(), row[3], text, null);
                expected.add(new Expected((Long) row[0], 1, Long.toString((Long) row[1]), later, (Boolean) row[7], text));
                badRows.merge(Bad.DUPLICATE_ID, 1, Integer::sum);
                others--;
            }
            rows++;
        }
    }

    private void insertRow(PreparedStatement insert, Long id, long user, Object timestamp, Object isBot, String text,
                           byte[] rawContent) throws SQLException {
        if (id == null) {
            insert.setNull(1, java.sql.Types.BIGINT);
        } else {
            insert.setLong(1, id);
        }
        insert.setLong(2, user);
        if (timestamp == null) {
            insert.setNull(3, java.sql.Types.VARCHAR);
        } else {
            insert.setString(3, timestamp.toString());
        }
        insert.setString(4, isBot.toString());
        if (rawContent != null) {
            insert.setBytes(5, rawContent); // SQLite keeps the bytes as they are
        } else {
            insert.setString(5, text);
        }
        insert.addBatch();
    }

    /** Every format the old bot used over the years: epoch seconds and milliseconds, ISO with and without zone. */
    private static Object timestamp(Instant at, int n) {
        return switch (n % 5) {
            case 0 -> Long.toString(at.getEpochSecond());
            case 1 -> Long.toString(at.toEpochMilli());
            case 2 -> at.toString();
            case 3 -> SPACED.format(at);
            default -> at.atOffset(ZoneOffset.ofHours(3)).toString();
        };
    }

    private Bad pick(Map<Bad, Integer> left, int n) {
        if (n >= 0 && n % 41 != 7) {
            return null;
        }
        for (Bad bad : Bad.values()) {
            boolean attachmentKind = bad == Bad.ATTACHMENT_FILE_MISSING || bad == Bad.ATTACHMENT_NOT_AN_IMAGE;
            if (attachmentKind == (n < 0) && bad != Bad.DUPLICATE_ROW && bad != Bad.DUPLICATE_ID
                    && bad != Bad.UNKNOWN_USER && left.get(bad) > 0) {
                left.merge(bad, -1, Integer::sum);
                return bad;
            }
        }
        return null;
    }

    private String sentence() {
        StringBuilder text = new StringBuilder();
        int words = 3 + random.nextInt(15);
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static void writeImage(Path file, int seed) throws IOException {
        BufferedImage image = new BufferedImage(40 + seed, 30 + seed, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(seed * 40 % 255, 90, 160));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
