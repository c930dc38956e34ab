package dev.chathistory.tests.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the local PostgreSQL the import tests rely on: it starts, keeps UTF-8 text intact, and really stops. */
class PostgresServerIT {

    private static final List<String> TEXTS = List.of("plain ascii", "привет, мир", "größe ¿qué tal?", "日本語 🙂");

    @Test
    void storesUtf8TextAndReleasesThePortOnClose() throws SQLException {
        PostgresServer server = PostgresServer.start();
        String url = server.jdbcUrl("legacy");
        try {
            server.createDatabase("legacy");
            try (Connection connection = DriverManager.getConnection(url)) {
                createTable(connection);
                insert(connection, TEXTS);
                assertThat(readBack(connection)).containsExactlyElementsOf(TEXTS);
                assertThat(serverEncoding(connection)).isEqualTo("UTF8");
            }
        } finally {
            server.close();
        }

        // A stopped server must not keep the port: the next test's server, or anything else, may need it.
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close())
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(url).close()).isInstanceOf(SQLException.class);
    }

    private static void createTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE messages (id integer PRIMARY KEY, body text NOT NULL)");
        }
    }

    private static void insert(Connection connection, List<String> texts) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO messages (id, body) VALUES (?, ?)")) {
            for (int i = 0; i < texts.size(); i++) {
                insert.setInt(1, i);
                insert.setString(2, texts.get(i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static List<String> readBack(Connection connection) throws SQLException {
        List<String> bodies = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT body FROM messages ORDER BY id")) {
            while (rows.next()) {
                bodies.add(rows.getString(1));
            }
        }
        return bodies;
    }

    /** The database's own encoding, so the round trip is known not to pass through a lossy one. */
    private static String serverEncoding(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_encoding")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
