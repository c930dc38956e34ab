package dev.chathistory.client;

import static dev.chathistory.client.Fixtures.clientFor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh {@link ScriptedServer} per test and a client pointed at it whose waits are recorded,
 * not slept.
 */
abstract class ScriptedServerTest {

    ScriptedServer server;
    Fixtures.RecordingSleeper sleeper;
    ChatHistoryClient client;

    @BeforeEach
    void startServer() throws Exception {
        server = new ScriptedServer();
        sleeper = new Fixtures.RecordingSleeper();
        client = clientFor(server, sleeper).build();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
