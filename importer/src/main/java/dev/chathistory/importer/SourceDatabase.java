package dev.chathistory.importer;

import static dev.chathistory.importer.Mapping.quote;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the legacy database over JDBC (SQLite and PostgreSQL drivers are on the classpath; any
 * other JDBC URL works if its driver is added). Messages are read in keyset order of their
 * integer id, never with OFFSET, so each chunk costs the same however far the import has got,
 * and a checkpoint is simply the last id written.
 */
final class SourceDatabase implements AutoCloseable {

    /** A chunk of rows; {@code last} when nothing follows it. */
    record Chunk(List<SourceRow> rows, boolean last) {
    }

    private final Connection connection;
    private final Mapping mapping;
    private final String messagesFrom;
    private final boolean typedTimestamps;

    SourceDatabase(String jdbcUrl, Mapping mapping) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl);
        this.mapping = mapping;
        this.messagesFrom = " FROM " + quote(mapping.messages().table());
        // SQLite stores any value in any column whatever its declared type, so only other
        // databases can be trusted to hold real timestamps in a timestamp column.
        this.typedTimestamps = !"SQLite".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
    }

    /** Every row of the messages table, whatever its id: what the import must account for. */
    long countMessages() throws SQLException {
        return count("SELECT COUNT(*)" + messagesFrom);
    }

    /** Rows up to and including {@code id}: what a resumed import has already done. */
    long countUpTo(long id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*)" + messagesFrom + " WHERE " + id()
                + " <= ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Rows with no id at all, which keyset reading never reaches. */
    List<SourceRow> rowsWithoutId() throws SQLException {
        return readRows(select() + " WHERE " + id() + " IS NULL", ps -> { });
    }

    /**
     * The next chunk after {@code afterId} (null: from the start): about {@code limit} rows in id
     * order, extended so that every row sharing the last id is in it (an id may repeat in a table
     * without a key). SQLite sorts text after every number, so once a non-integer id shows up,
     * everything left is read at once and the chunk is the last.
     */
    Chunk nextChunk(Long afterId, int limit) throws SQLException {
        String where = afterId == null ? " WHERE " + id() + " IS NOT NULL" : " WHERE " + id() + " > ?";
        Binder after = ps -> {
            if (afterId != null) {
                ps.setLong(1, afterId);
            }
        };
        List<SourceRow> rows = readRows(select() + where + " ORDER BY " + id() + " LIMIT " + limit, after);
        if (rows.stream().anyMatch(r -> r.id() == null)) {
            return new Chunk(readRows(select() + where + " ORDER BY " + id(), after), true);
        }
        if (rows.size() < limit) {
            return new Chunk(rows, true);
        }
        long lastId = rows.get(rows.size() - 1).id();
        rows.removeIf(r -> r.id() == lastId);
        rows.addAll(readRows(select() + " WHERE " + id() + " = ?", ps -> ps.setLong(1, lastId)));
        return new Chunk(rows, false);
    }

    /** The users table: user id (as text) to its last activity value, raw. */
    Map<String, Object> users() throws SQLException {
        Map<String, Object> users = new HashMap<>();
        if (!mapping.users().present()) {
            return users;
        }
        Mapping.Users u = mapping.users();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT " + quote(u.userId()) + ", " + quote(u.lastActivity())
                     + " FROM " + quote(u.table()))) {
            while (rs.next()) {
                Object userId = rs.getObject(1);
                if (userId != null) {
                    users.put(RowConverter.idText(userId), readTimestamp(rs, 2));
                }
            }
        }
        return users;
    }

    /** Attachment rows of messages with ids from {@code firstId} to {@code lastId}, in message then id order. */
    List<SourceAttachment> attachments(long firstId, long lastId) throws SQLException {
        List<SourceAttachment> found = new ArrayList<>();
        if (!mapping.attachments().present()) {
            return found;
        }
        Mapping.Attachments a = mapping.attachments();
        String sql = "SELECT " + quote(a.id()) + ", " + quote(a.messageId()) + ", " + quote(a.type()) + ", "
                + quote(a.hash()) + ", " + quote(a.path()) + " FROM " + quote(a.table())
                + " WHERE " + quote(a.messageId()) + " BETWEEN ? AND ? ORDER BY " + quote(a.messageId()) + ", "
                + quote(a.id());
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, firstId);
            ps.setLong(2, lastId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new SourceAttachment(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return found;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private String select() {
        Mapping.Messages m = mapping.messages();
        return "SELECT " + id() + ", " + quote(m.userId()) + ", "
                + (m.chatId() == null ? "NULL" : quote(m.chatId())) + ", "
                + quote(m.timestamp()) + ", " + quote(m.isBot()) + ", " + quote(m.content()) + messagesFrom;
    }

    private String id() {
        return quote(mapping.messages().id());
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private List<SourceRow> readRows(String sql, Binder binder) throws SQLException {
        List<SourceRow> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object id = rs.getObject(1);
                    rows.add(new SourceRow(integerOrNull(id), id == null ? null : id.toString(), rs.getObject(2),
                            rs.getObject(3), readTimestamp(rs, 4), rs.getObject(5), rs.getBytes(6)));
                }
            }
        }
        return rows;
    }

    private static Long integerOrNull(Object id) {
        if (id instanceof Number number && !(id instanceof Double || id instanceof Float)) {
            return number.longValue();
        }
        return null;
    }

    /**
     * A database timestamp type is read as such (one without a zone as UTC); anything else comes
     * back as stored (numbers, text) for {@link TimestampParser} to judge.
     */
    private Object readTimestamp(ResultSet rs, int column) throws SQLException {
        if (typedTimestamps) {
            String type = rs.getMetaData().getColumnTypeName(column).toLowerCase(Locale.ROOT);
            if (type.equals("timestamptz")) {
                return rs.getObject(column, OffsetDateTime.class);
            }
            if (type.equals("timestamp")) {
                return rs.getObject(column, LocalDateTime.class);
            }
        }
        return rs.getObject(column);
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
